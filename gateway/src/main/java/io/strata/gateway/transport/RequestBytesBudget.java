package io.strata.gateway.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of requests a gateway holds in flight, all connections together, against a limit: the memory a burst
 * of requests may take, whatever the number of connections and of requests per connection.
 *
 * <p>A request is admitted when it fits in what remains of the limit, or when nothing else is in flight: a lone
 * request is always admitted, so a request larger than the limit (which the configuration avoids by keeping the
 * limit at least the largest frame) is not refused forever. The amount in flight may therefore exceed the limit by
 * at most one request. Every {@link #tryAcquire} that returned true must be matched by exactly one {@link #release}
 * of the same amount; releasing more than is held is a bug and throws, so the count never goes negative.
 *
 * <p>Thread-safe and lock-free: acquired on every event loop, released on whatever thread completes a request.
 */
final class RequestBytesBudget {
    private final long limit;
    private final AtomicLong inFlight = new AtomicLong();

    /** @param limit the bytes that may be in flight at once; positive */
    RequestBytesBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes {@code bytes} from the budget if they fit, or if nothing else is in flight.
     *
     * @return whether they were taken; if so, {@link #release} them once the request has ended
     */
    boolean tryAcquire(long bytes) {
        requireNonNegative(bytes);
        while (true) {
            long held = inFlight.get();
            // written as a subtraction: held + bytes could overflow with a limit near Long.MAX_VALUE
            if (held != 0 && held > limit - bytes) {
                return false;
            }
            if (inFlight.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /**
     * Gives back what one {@link #tryAcquire} took.
     *
     * @throws IllegalStateException if more is released than is held (a request released twice)
     */
    void release(long bytes) {
        requireNonNegative(bytes);
        long[] before = new long[1];
        // checked and updated in one step, so a double release cannot drive the count below zero
        inFlight.getAndUpdate(held -> {
            before[0] = held;
            return held >= bytes ? held - bytes : held;
        });
        if (before[0] < bytes) {
            throw new IllegalStateException("Released " + bytes + " request bytes while only " + before[0]
                    + " were in flight");
        }
    }

    /** The bytes in flight now. */
    long inFlight() {
        return inFlight.get();
    }

    long limit() {
        return limit;
    }

    private static void requireNonNegative(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}
