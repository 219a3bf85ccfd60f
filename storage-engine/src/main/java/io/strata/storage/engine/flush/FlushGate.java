package io.strata.storage.engine.flush;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most one flush at a time, and nothing else that must not overlap one (garbage collection: a segment
 * being flushed is in no manifest yet). Writers are stalled, not failed, while memtables are too large and
 * the gate is taken. Not reentrant. Thread-safe.
 */
public final class FlushGate {
    private final AtomicBoolean taken = new AtomicBoolean();
    private final Object released = new Object();

    public boolean tryAcquire() {
        return taken.compareAndSet(false, true);
    }

    /** Waits until the gate is free and takes it. */
    public void acquire() throws InterruptedException {
        while (!tryAcquire()) {
            synchronized (released) {
                released.wait(50);
            }
        }
    }

    public void release() {
        taken.set(false);
        synchronized (released) {
            released.notifyAll();
        }
    }

    /** Whether a flush (or collection) holds the gate. */
    public boolean busy() {
        return taken.get();
    }

    /** Waits up to {@code millis} for a release. */
    public void awaitRelease(long millis) throws InterruptedException {
        synchronized (released) {
            released.wait(millis);
        }
    }
}
