package io.strata.tenancy.capacity;

/**
 * An on-demand table's consumption per second over a window, and the ceiling it earns: twice the highest
 * completed second within the window, and never below the initial figure. Thread-safe (synchronized: one lock
 * per table and operation, held for an add, and once a second for a scan of the window).
 */
final class PeakTracker {
    private final long[] perSecond;
    private long currentSecond = Long.MIN_VALUE;
    private long ceiling = -1;

    PeakTracker(int windowSeconds) {
        this.perSecond = new long[windowSeconds];
    }

    /**
     * Adds {@code milliUnits} consumed in {@code second} and returns the ceiling in units per second.
     */
    synchronized long record(long second, long milliUnits, long initial) {
        if (second != currentSecond) {
            if (currentSecond == Long.MIN_VALUE || second - currentSecond >= perSecond.length) {
                java.util.Arrays.fill(perSecond, 0);
            } else {
                for (long s = currentSecond + 1; s <= second; s++) {
                    perSecond[(int) Math.floorMod(s, (long) perSecond.length)] = 0;
                }
            }
            currentSecond = second;
            long peak = 0;
            int now = (int) Math.floorMod(second, (long) perSecond.length);
            for (int i = 0; i < perSecond.length; i++) {
                if (i != now) {
                    peak = Math.max(peak, perSecond[i]);
                }
            }
            ceiling = Math.max(initial, 2 * ((peak + CapacityMeter.MILLI - 1) / CapacityMeter.MILLI));
        }
        perSecond[(int) Math.floorMod(second, (long) perSecond.length)] += milliUnits;
        return ceiling < 0 ? initial : ceiling;
    }
}
