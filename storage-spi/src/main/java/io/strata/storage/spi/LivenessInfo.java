package io.strata.storage.spi;

/**
 * Primary-key liveness of a row, written by INSERT (not by UPDATE): the row exists while this is live
 * even when all its regular columns are null. {@code ttl} is 0 for no TTL; {@code localExpirationTime}
 * is seconds since epoch ({@link Integer#MAX_VALUE} when it never expires). {@link #NONE} means the
 * row has no primary-key liveness (it lives only through its cells).
 */
public record LivenessInfo(long timestamp, int ttl, int localExpirationTime) {
    public static final LivenessInfo NONE = new LivenessInfo(Long.MIN_VALUE, 0, Integer.MAX_VALUE);

    public static LivenessInfo of(long timestamp, int ttl, int nowInSeconds) {
        return new LivenessInfo(timestamp, ttl, ttl == 0 ? Integer.MAX_VALUE : saturatedAdd(nowInSeconds, ttl));
    }

    public boolean isEmpty() {
        return timestamp == Long.MIN_VALUE;
    }

    public boolean isLive(int nowInSeconds) {
        return !isEmpty() && nowInSeconds < localExpirationTime;
    }

    static int saturatedAdd(int a, int b) {
        long r = (long) a + b;
        return r >= Integer.MAX_VALUE ? Integer.MAX_VALUE - 1 : (int) r;
    }
}
