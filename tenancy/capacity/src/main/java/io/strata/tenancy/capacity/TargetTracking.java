package io.strata.tenancy.capacity;

import java.time.Duration;
import java.time.Instant;

/**
 * Keyspaces' target-tracking auto scaling of one side (read or write) of a provisioned table: keep consumed /
 * provisioned near {@code targetPercent}, within {@code minimum} and {@code maximum} units. Scale out as soon as the
 * last period's consumption asks for more (after {@code scaleOutCooldown}); scale in only when even the busiest
 * period of the scale-in window would fit (after {@code scaleInCooldown}, unless scale-in is disabled), so that a
 * lull does not shed capacity a returning peak needs. Immutable.
 */
public record TargetTracking(long minimum, long maximum, double targetPercent, Duration scaleInCooldown,
        Duration scaleOutCooldown, boolean disableScaleIn) {
    public TargetTracking {
        if (minimum < 1 || maximum < minimum) {
            throw new IllegalArgumentException("need 1 <= minimum <= maximum: " + minimum + ", " + maximum);
        }
        if (!(targetPercent >= 20 && targetPercent <= 90)) {
            throw new IllegalArgumentException("target must be 20 to 90 percent: " + targetPercent);
        }
    }

    /** Units that serve {@code ratePerSecond} at the target utilization, within the bounds. */
    public long unitsFor(double ratePerSecond) {
        long wanted = (long) Math.ceil(ratePerSecond * 100 / targetPercent);
        return Math.max(minimum, Math.min(maximum, wanted));
    }

    /**
     * The units to provision now.
     *
     * @param current the provisioned units
     * @param lastRate consumed units per second over the last period
     * @param peakRate the highest per-period rate within the scale-in window
     * @param lastScaleOut when this side last scaled out (or {@link Instant#MIN})
     * @param lastScaleIn when this side last scaled in (or {@link Instant#MIN})
     * @return {@code current} when nothing changes
     */
    public long decide(long current, double lastRate, double peakRate, Instant now, Instant lastScaleOut,
            Instant lastScaleIn) {
        if (current < minimum || current > maximum) {
            return Math.max(minimum, Math.min(maximum, current));
        }
        long out = unitsFor(lastRate);
        if (out > current) {
            return cooled(lastScaleOut, scaleOutCooldown, now) ? out : current;
        }
        long in = unitsFor(peakRate);
        if (in < current && !disableScaleIn && cooled(lastScaleIn, scaleInCooldown, now)) {
            return in;
        }
        return current;
    }

    private static boolean cooled(Instant last, Duration cooldown, Instant now) {
        return last.equals(Instant.MIN) || !now.isBefore(last.plus(cooldown));
    }
}
