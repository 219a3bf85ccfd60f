package io.strata.cql.request;

/**
 * The paging a client asked for: rows per page (0 or less: no paging) and where the previous page stopped
 * (the opaque state of the last page, or null for the first).
 */
public record PageRequest(int pageSize, byte[] pagingState) {
    public static final PageRequest NONE = new PageRequest(0, null);
    /**
     * The largest paging state an executor writes or reads (before the session's seal): enough for a
     * partition key and a clustering of 64 KiB each, Cassandra's limits, so paging resumes after any key.
     */
    public static final int MAX_STATE_BYTES = 132 * 1024;

    /** Rows per page; {@code Integer.MAX_VALUE} when the client does not page. */
    public int rowsPerPage() {
        return pageSize > 0 ? pageSize : Integer.MAX_VALUE;
    }
}
