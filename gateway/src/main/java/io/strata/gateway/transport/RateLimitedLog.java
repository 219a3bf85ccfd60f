package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * A warning that an attacker can trigger thousands of times a second, logged at most once per interval with the
 * number of occurrences suppressed since the last line, so abuse cannot flood the log.
 *
 * <p>Thread-safe.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration interval) {
        this(log, interval, System::nanoTime);
    }

    RateLimitedLog(Logger log, Duration interval, LongSupplier nanoTime) {
        this.log = requireNonNull(log, "log is null");
        this.intervalNanos = interval.toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        next.set(nanoTime.getAsLong());
    }

    /** @return whether the message was logged (false: counted as suppressed) */
    boolean warn(Supplier<String> message) {
        long now = nanoTime.getAsLong();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            log.warn(message.get() + (skipped > 0 ? " (" + skipped + " more like it not logged)" : ""));
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }
}
