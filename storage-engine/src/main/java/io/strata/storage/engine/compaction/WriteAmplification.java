package io.strata.storage.engine.compaction;

import java.util.concurrent.atomic.AtomicLong;

/** Segment bytes written by flushes and by compactions, and their ratio. Thread-safe. */
public final class WriteAmplification {
    private final AtomicLong flushed = new AtomicLong();
    private final AtomicLong compacted = new AtomicLong();

    public void flushed(long bytes) {
        flushed.addAndGet(bytes);
    }

    public void compacted(long bytes) {
        compacted.addAndGet(bytes);
    }

    public long bytesFlushed() {
        return flushed.get();
    }

    public long bytesCompacted() {
        return compacted.get();
    }

    /** Bytes written to segments by flushes and compactions, per byte flushed (0 before the first flush). */
    public double ratio() {
        long f = flushed.get();
        return f == 0 ? 0 : (double) (f + compacted.get()) / f;
    }
}
