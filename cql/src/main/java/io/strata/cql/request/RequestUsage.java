package io.strata.cql.request;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one request did to storage: rows and bytes read (the columns the request fetched, filtered rows
 * included) and rows and bytes written. Executors add to it as they go; tracing reports it, and capacity
 * metering turns it into read and write units. Thread-safe.
 */
public final class RequestUsage {
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    public void read(long rows, long bytes) {
        rowsRead.addAndGet(rows);
        bytesRead.addAndGet(bytes);
    }

    public void written(long rows, long bytes) {
        rowsWritten.addAndGet(rows);
        bytesWritten.addAndGet(bytes);
    }

    public long rowsRead() {
        return rowsRead.get();
    }

    public long bytesRead() {
        return bytesRead.get();
    }

    public long rowsWritten() {
        return rowsWritten.get();
    }

    public long bytesWritten() {
        return bytesWritten.get();
    }
}
