package io.strata.cql.request;

/**
 * What one request did to storage: rows and bytes read (the columns the request fetched, filtered rows
 * included) and rows and bytes written. Executors add to it as they go; tracing reports it, and capacity
 * metering turns it into read and write units. Thread-safe (the stages of a request run one after
 * another, possibly on different threads; a lock is cheaper here than four atomics).
 */
public final class RequestUsage {
    private long rowsRead;
    private long bytesRead;
    private long rowsWritten;
    private long bytesWritten;

    public synchronized void read(long rows, long bytes) {
        rowsRead += rows;
        bytesRead += bytes;
    }

    public synchronized void written(long rows, long bytes) {
        rowsWritten += rows;
        bytesWritten += bytes;
    }

    public synchronized long rowsRead() {
        return rowsRead;
    }

    public synchronized long bytesRead() {
        return bytesRead;
    }

    public synchronized long rowsWritten() {
        return rowsWritten;
    }

    public synchronized long bytesWritten() {
        return bytesWritten;
    }
}
