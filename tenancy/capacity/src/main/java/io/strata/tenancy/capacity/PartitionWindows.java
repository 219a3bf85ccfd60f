package io.strata.tenancy.capacity;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One table's per-partition consumption in the current second, for the partition ceilings: a fixed array of
 * slots indexed by a hash of the partition token, each holding the second it counts and the thousandths of units
 * consumed in it. Constant memory and no allocation per request, whatever the number of partitions; two
 * partitions that share a slot share its count, which can only throttle earlier, and only when together they
 * reach the ceiling. Thread-safe (a racing reset at a second's turn may lose a few charges of that instant).
 */
final class PartitionWindows {
    private static final int SLOTS = 4096;

    private final AtomicLongArray second = new AtomicLongArray(SLOTS);
    private final AtomicLongArray used = new AtomicLongArray(SLOTS);

    private static int slot(long token) {
        long h = token * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52) & (SLOTS - 1);
    }

    /** Whether the partition has consumed {@code limitMilli} or more in {@code nowSecond}. */
    boolean over(long token, long nowSecond, long limitMilli) {
        int i = slot(token);
        return second.get(i) == nowSecond && used.get(i) >= limitMilli;
    }

    void add(long token, long nowSecond, long milli) {
        int i = slot(token);
        long s = second.get(i);
        if (s != nowSecond && second.compareAndSet(i, s, nowSecond)) {
            used.set(i, 0);
        }
        used.addAndGet(i, milli);
    }
}
