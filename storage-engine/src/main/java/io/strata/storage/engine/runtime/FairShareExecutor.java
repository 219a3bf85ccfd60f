package io.strata.storage.engine.runtime;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of worker threads shared fairly by keys (tenants).
 *
 * <p>Contract:
 * <ul>
 *   <li>Every task is submitted with a key ({@link #execute(Object, Runnable)}). Each key has its own FIFO queue;
 *       tasks of one key start in submission order.</li>
 *   <li>A free worker takes the next task round-robin across the keys that have queued work and are below their
 *       cap, so a key arriving while another key has a backlog waits for a free worker and for at most one task
 *       of each other ready key, never behind that backlog.</li>
 *   <li>One key occupies at most {@link #maxPerKey()} workers at once; otherwise the pool is work-conserving
 *       (a key alone uses up to its cap).</li>
 *   <li>At most {@code queueLimit} tasks of one key wait; one more is refused with {@link QueueFullException}
 *       (a {@link RejectedExecutionException}), at once, instead of queueing without bound.</li>
 *   <li>A key with neither queued nor running tasks is forgotten: an idle tenant costs nothing.</li>
 *   <li>{@link #shutdown()} refuses new tasks and lets queued ones finish; {@link #shutdownNow()} also drops the
 *       queued ones (returning them) and interrupts the running ones - as {@link java.util.concurrent.ExecutorService}.</li>
 * </ul>
 * Workers start on demand, up to the pool size, and live until shutdown. A task that throws is reported to its
 * thread's uncaught-exception handler; the worker carries on.
 *
 * <p>Thread-safe. One lock guards the queues: a submission and a dispatch each hold it for a few map and deque
 * operations (measured against {@code ThreadPoolExecutor} in the bench module's {@code FairShareBenchmark}).
 *
 * @param <K> the key; {@code equals}/{@code hashCode} identify it
 */
public final class FairShareExecutor<K> {
    /** The default share of the workers one key may occupy. */
    public static final double DEFAULT_SHARE = 1.0;
    /** The default number of tasks one key may have waiting. */
    public static final int DEFAULT_QUEUE_LIMIT = 10_000;

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;

    private final int threads;
    private final int maxPerKey;
    private final int queueLimit;
    private final ThreadFactory factory;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workReady = lock.newCondition();
    private final Condition terminated = lock.newCondition();
    /** Keys with queued or running tasks. */
    private final Map<K, KeyQueue<K>> keys = new HashMap<>();
    /** Keys with queued tasks and below their cap, in round-robin order; each at most once. */
    private final ArrayDeque<KeyQueue<K>> ready = new ArrayDeque<>();
    private final Set<Thread> workers = new HashSet<>();
    private int queued;
    /** Written under the lock; volatile for the worker's unlocked look after shutdownNow. */
    private volatile int state = RUNNING;

    /**
     * @param threads worker threads
     * @param share the share of the workers one key may occupy, {@code 0 < share <= 1}; see {@link #capFor}
     * @param queueLimit tasks one key may have waiting (beyond those running), at least 1
     * @param factory makes the workers
     */
    public FairShareExecutor(int threads, double share, int queueLimit, ThreadFactory factory) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, not " + threads);
        }
        checkShare(share);
        if (queueLimit <= 0) {
            throw new IllegalArgumentException("queue limit must be positive, not " + queueLimit);
        }
        this.threads = threads;
        this.maxPerKey = capFor(share, threads);
        this.queueLimit = queueLimit;
        this.factory = requireNonNull(factory, "factory is null");
    }

    static void checkShare(double share) {
        if (!(share > 0 && share <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("share must be in (0, 1], not " + share);
        }
    }

    /**
     * Workers one key may occupy: {@code ceil(share × threads)}, at least 1; with a share below 1 and at least two
     * threads, at most {@code threads - 1}, so a flooding key always leaves a worker to the others.
     */
    static int capFor(double share, int threads) {
        checkShare(share);
        if (share == 1) {
            return threads;
        }
        // the epsilon keeps 0.7 × 10 = 7.000000000000001 at 7
        int cap = (int) Math.ceil(share * threads - 1e-9);
        return Math.max(1, Math.min(cap, threads - 1));
    }

    /** Worker threads at most. */
    public int threads() {
        return threads;
    }

    /** Workers one key may occupy at once. */
    public int maxPerKey() {
        return maxPerKey;
    }

    /** Tasks one key may have waiting. */
    public int queueLimit() {
        return queueLimit;
    }

    /**
     * Queues {@code task} for {@code key}.
     *
     * @throws QueueFullException if {@code key} already has {@link #queueLimit()} tasks waiting
     * @throws RejectedExecutionException after shutdown
     */
    public void execute(K key, Runnable task) {
        requireNonNull(key, "key is null");
        requireNonNull(task, "task is null");
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException("executor is shut down");
            }
            KeyQueue<K> q = keys.get(key);
            if (q == null) {
                q = new KeyQueue<>(key);
                keys.put(key, q);
            } else if (q.tasks.size() >= queueLimit) {
                throw new QueueFullException(key, queueLimit);
            }
            q.tasks.addLast(task);
            queued++;
            if (!q.ready && q.running < maxPerKey) {
                makeReady(q);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An {@link Executor} view submitting every task under {@code key}, for {@code CompletableFuture.*Async}. */
    public Executor executor(K key) {
        requireNonNull(key, "key is null");
        return task -> execute(key, task);
    }

    /**
     * Under the lock: appends {@code q} to the round and wakes a worker for it. Every entry wakes one (a new one
     * below the pool size, as {@code ThreadPoolExecutor} below its core size), so none waits while a worker idles.
     */
    private void makeReady(KeyQueue<K> q) {
        q.ready = true;
        ready.addLast(q);
        if (workers.size() < threads && state != STOP) {
            Thread t = factory.newThread(this::work);
            workers.add(t);
            t.start();
        } else {
            workReady.signal();
        }
    }

    private void work() {
        KeyQueue<K> done = null;
        while (true) {
            Runnable task;
            KeyQueue<K> q;
            lock.lock();
            try {
                if (done != null) {
                    finished(done);
                    done = null;
                }
                while (true) {
                    if (state == STOP || (state == SHUTDOWN && queued == 0)) {
                        exit();
                        return;
                    }
                    q = ready.pollFirst();
                    if (q != null) {
                        break;
                    }
                    try {
                        workReady.await();
                    } catch (InterruptedException e) {
                        // only shutdownNow interrupts an idle worker: the loop sees STOP
                    }
                }
                task = q.tasks.pollFirst();
                queued--;
                q.running++;
                // back to the end of the round if it has more and is below its cap
                q.ready = false;
                if (!q.tasks.isEmpty() && q.running < maxPerKey) {
                    makeReady(q);
                }
            } finally {
                lock.unlock();
            }
            Thread.interrupted(); // a stale interrupt from an earlier task must not hit this one
            if (state == STOP) {
                Thread.currentThread().interrupt(); // unless shutdownNow came meanwhile
            }
            try {
                task.run();
            } catch (Throwable t) {
                Thread self = Thread.currentThread();
                try {
                    self.getUncaughtExceptionHandler().uncaughtException(self, t);
                } catch (Throwable ignored) {
                    // a failing handler must not take the worker (and termination) with it
                }
            }
            done = q;
        }
    }

    /** Called under the lock when a task of {@code q} ends. */
    private void finished(KeyQueue<K> q) {
        q.running--;
        if (q.tasks.isEmpty()) {
            if (q.running == 0) {
                keys.remove(q.key, q); // idle: forgotten (after shutdownNow it may be gone already)
            }
        } else if (!q.ready) {
            makeReady(q);
        }
        if (state == SHUTDOWN && queued == 0) {
            workReady.signalAll(); // idle workers may exit now
        }
    }

    /** Called under the lock by a worker that exits. */
    private void exit() {
        workers.remove(Thread.currentThread());
        if (workers.isEmpty()) {
            terminated.signalAll();
        }
        workReady.signalAll();
    }

    /** Refuses new tasks; queued and running ones finish. */
    public void shutdown() {
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
            workReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new tasks, drops the queued ones (returned) and interrupts the running ones. */
    public List<Runnable> shutdownNow() {
        lock.lock();
        try {
            state = STOP;
            List<Runnable> dropped = new ArrayList<>(queued);
            for (KeyQueue<K> q : keys.values()) {
                dropped.addAll(q.tasks);
                q.tasks.clear();
            }
            queued = 0;
            ready.clear();
            keys.clear();
            for (Thread t : workers) {
                t.interrupt();
            }
            workReady.signalAll();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    public boolean isShutdown() {
        lock.lock();
        try {
            return state != RUNNING;
        } finally {
            lock.unlock();
        }
    }

    /** Shut down, and every worker has exited. */
    public boolean isTerminated() {
        lock.lock();
        try {
            return state != RUNNING && workers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until terminated or the timeout passes; returns whether terminated. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(state != RUNNING && workers.isEmpty())) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Keys with queued or running tasks (idle keys are forgotten). */
    public int activeKeys() {
        lock.lock();
        try {
            return keys.size();
        } finally {
            lock.unlock();
        }
    }

    /** Tasks of {@code key} waiting. */
    public int queued(K key) {
        lock.lock();
        try {
            KeyQueue<K> q = keys.get(key);
            return q == null ? 0 : q.tasks.size();
        } finally {
            lock.unlock();
        }
    }

    /** One key's queue and how many of its tasks run; guarded by the executor's lock. */
    private static final class KeyQueue<K> {
        final K key;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        int running;
        /** Whether it is in {@code ready}. */
        boolean ready;

        KeyQueue(K key) {
            this.key = key;
        }
    }

    /** A key has its queue limit of tasks waiting: the caller should back off and retry later. */
    public static final class QueueFullException extends RejectedExecutionException {
        private final transient Object key;

        QueueFullException(Object key, int limit) {
            super(key + " has " + limit + " tasks queued, the limit");
            this.key = key;
        }

        /** The key whose queue is full. */
        public Object key() {
            return key;
        }
    }
}
