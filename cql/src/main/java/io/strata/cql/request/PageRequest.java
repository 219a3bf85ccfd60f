package io.strata.cql.request;

/**
 * The paging a client asked for: rows per page (0 or less: no paging) and where the previous page stopped
 * (the opaque state of the last page, or null for the first).
 */
public record PageRequest(int pageSize, byte[] pagingState) {
    public static final PageRequest NONE = new PageRequest(0, null);

    /** Rows per page; {@code Integer.MAX_VALUE} when the client does not page. */
    public int rowsPerPage() {
        return pageSize > 0 ? pageSize : Integer.MAX_VALUE;
    }
}
