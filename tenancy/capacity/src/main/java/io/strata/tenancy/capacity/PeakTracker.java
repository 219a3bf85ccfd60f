package io.strata.tenancy.capacity;

import java.util.concurrent.atomic.AtomicLong;

/**
 * An on-demand table's consumption per second over a window, and the ceiling it earns: twice the highest
 * completed second within the window, never below the initial figure nor above
 * {@link CapacityLimits#MAX_UNITS_PER_SECOND}. Thread-safe: within a second an add is one atomic increment; the
 * turn of a second takes a lock to file the finished second and scan the window.
 */
final class PeakTracker {
    private final long[] perSecond;
    private final AtomicLong current = new AtomicLong();
    private volatile long currentSecond = Long.MIN_VALUE;
    private volatile long ceiling = -1;

    PeakTracker(int windowSeconds) {
        this.perSecond = new long[windowSeconds];
    }

    /**
     * Adds {@code milliUnits} consumed in {@code second} and returns the ceiling in units per second.
     */
    long record(long second, long milliUnits, long initial) {
        if (second != currentSecond) {
            turn(second, initial);
        }
        current.addAndGet(milliUnits);
        long c = ceiling;
        return c < 0 ? initial : c;
    }

    private synchronized void turn(long second, long initial) {
        long was = currentSecond;
        if (second == was) {
            return;
        }
        int n = perSecond.length;
        if (was != Long.MIN_VALUE && second > was) {
            perSecond[(int) Math.floorMod(was, (long) n)] = current.getAndSet(0);
            if (second - was >= n) {
                java.util.Arrays.fill(perSecond, 0);
            } else {
                for (long s = was + 1; s <= second; s++) {
                    perSecond[(int) Math.floorMod(s, (long) n)] = 0;
                }
            }
        } else {
            current.set(0);
        }
        long peak = 0;
        for (long v : perSecond) {
            peak = Math.max(peak, v);
        }
        ceiling = Math.min(CapacityLimits.MAX_UNITS_PER_SECOND,
                Math.max(initial, 2 * ((peak + CapacityMeter.MILLI - 1) / CapacityMeter.MILLI)));
        currentSecond = second;
    }
}
