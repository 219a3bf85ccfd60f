package io.strata.cql.session;

/**
 * The prepared-statement cache's budgets, in bytes of estimated retained heap (see {@link Prepared#weight()}):
 * what one tenant's statements may hold, what all tenants' statements may hold together, and the heaviest
 * single statement PREPARE accepts (heavier ones are refused with INVALID, as Cassandra refuses a statement
 * larger than its cache).
 *
 * <p>A tenant over its budget loses its own least valuable statements; only when all tenants together are
 * over the global budget does the heaviest tenant lose statements, so no tenant can evict another's by
 * preparing many or large statements (unless it is the one holding most).
 *
 * @param perTenantBytes the budget of each tenant
 * @param globalBytes the budget of all tenants together, at least {@code perTenantBytes}
 * @param maxStatementBytes the heaviest statement accepted, at most {@code perTenantBytes} and 2 GiB
 */
public record PreparedCacheLimits(long perTenantBytes, long globalBytes, long maxStatementBytes) {
    /** 16 MiB per tenant. */
    public static final long DEFAULT_PER_TENANT_BYTES = 16L << 20;
    /** 256 MiB for all tenants. */
    public static final long DEFAULT_GLOBAL_BYTES = 256L << 20;
    /** A quarter of the tenant's budget: one statement cannot push out more than a quarter of its tenant's. */
    public static final int DEFAULT_STATEMENT_FRACTION = 4;

    public PreparedCacheLimits {
        if (maxStatementBytes <= 0 || maxStatementBytes > perTenantBytes || maxStatementBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxStatementBytes must be in (0, min(perTenantBytes, 2 GiB)], got "
                    + maxStatementBytes);
        }
        if (perTenantBytes > globalBytes) {
            throw new IllegalArgumentException("perTenantBytes (" + perTenantBytes + ") is over globalBytes ("
                    + globalBytes + ")");
        }
    }

    /** The defaults: 16 MiB per tenant, 256 MiB in all, statements up to 4 MiB. */
    public static PreparedCacheLimits defaults() {
        return of(DEFAULT_PER_TENANT_BYTES, DEFAULT_GLOBAL_BYTES);
    }

    /** The given budgets, statements up to a quarter of the tenant's. */
    public static PreparedCacheLimits of(long perTenantBytes, long globalBytes) {
        return new PreparedCacheLimits(perTenantBytes, globalBytes,
                Math.min(Integer.MAX_VALUE, perTenantBytes / DEFAULT_STATEMENT_FRACTION));
    }
}
