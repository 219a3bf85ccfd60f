package io.strata.gateway.admin;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.blob.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the storage takes writes now: overwrites one small object of this gateway's ({@code _health/<node>}) in the
 * data store the gateway writes through. Over replicated zones that write needs a quorum of them, exactly like the
 * commit log and segments, so it fails once too many zones are unreachable ("zone quorum lost"); one zone down
 * still succeeds. A result is reused for {@code interval}, so probes from several health endpoints and
 * orchestrators cost at most one write per interval; a probe that takes longer than {@code timeout} counts as
 * failed (it may still land).
 *
 * <p>Thread-safe: concurrent callers share one probe.
 */
final class StorageProbe {
    static final String PREFIX = "_health/";

    /** The outcome of the latest probe. */
    record Result(boolean writable, Instant at, long millis, String error) {}

    private final BlobStore store;
    private final String key;
    private final Clock clock;
    private final Duration interval;
    private final Duration timeout;
    private Result last;
    private CompletableFuture<Result> running;

    StorageProbe(BlobStore store, String node, Clock clock, Duration interval, Duration timeout) {
        this.store = requireNonNull(store, "store is null");
        this.key = PREFIX + sanitize(requireNonNull(node, "node is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    String key() {
        return key;
    }

    /** The latest result if fresh, otherwise the result of a new probe (waiting at most the timeout). */
    Result check() {
        CompletableFuture<Result> probe;
        synchronized (this) {
            Instant now = clock.instant();
            if (last != null && now.isBefore(last.at().plus(interval))) {
                return last;
            }
            if (running == null) {
                running = start(now);
            }
            probe = running;
        }
        Result result;
        try {
            result = probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result = new Result(false, clock.instant(), timeout.toMillis(), "no answer within " + timeout);
        } catch (ExecutionException e) {
            result = new Result(false, clock.instant(), -1, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, clock.instant(), -1, "interrupted");
        }
        synchronized (this) {
            if (running == probe) {
                running = null;
            }
            last = result;
        }
        return result;
    }

    private CompletableFuture<Result> start(Instant now) {
        long started = System.nanoTime();
        byte[] content = now.toString().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Result> out = new CompletableFuture<>();
        try {
            store.put(key, content, BlobStore.PutMode.OVERWRITE).whenComplete((info, failure) -> {
                long millis = (System.nanoTime() - started) / 1_000_000;
                out.complete(failure == null ? new Result(true, clock.instant(), millis, null)
                        : new Result(false, clock.instant(), millis, describe(failure)));
            });
        } catch (RuntimeException e) {
            out.complete(new Result(false, clock.instant(), 0, describe(e)));
        }
        return out;
    }

    private static String describe(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String sanitize(String node) {
        String s = node.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() ? "node" : s;
    }
}
