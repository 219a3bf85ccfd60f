package io.strata.cql.ast;

/** {@code USING TIMESTAMP t AND TTL n}; either term may be null when not given. */
public record Using(Term timestamp, Term ttl) {
    public static final Using NONE = new Using(null, null);

    public boolean isEmpty() {
        return timestamp == null && ttl == null;
    }
}
