package io.strata.gateway.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One audited event, before the log gives it its place in the chain ({@code seq}, {@code prev}). Nullable
 * fields are written as JSON {@code null}: a failed login has no verified tenant, a login has no source
 * address yet (see docs/audit.md). Immutable.
 *
 * @param time when the event happened
 * @param kind what happened: {@code login}, {@code ddl}, {@code denied}, {@code admin}, {@code token.issue},
 *     {@code token.revoke}
 * @param tenant the tenant acted in, or null when not known (a refused login)
 * @param principal the subject acting (a token's {@code sub}, an operator), or null when not known
 * @param tokenId the token's {@code jti}, or null
 * @param source the client's address, or null when the caller does not know it
 * @param statement what was asked, literal values redacted ({@link Redactor}), or null
 * @param outcome {@link #OK} or {@link #REFUSED}
 * @param reason why it was refused, or null
 */
public record AuditRecord(Instant time, String kind, String tenant, String principal, String tokenId, String source,
        String statement, String outcome, String reason) {
    public static final String OK = "ok";
    public static final String REFUSED = "refused";
    /** Allowed, but it failed (a DDL statement on a table that exists, say). */
    public static final String FAILED = "failed";

    public AuditRecord {
        requireNonNull(time, "time is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(outcome, "outcome is null");
    }

    /** The JSON line of this record at position {@code seq}, linked to the previous line's hash {@code prev}. */
    String toJson(long seq, String prev) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"seq\":").append(seq).append(",\"prev\":\"").append(prev).append('"');
        field(b, "time", time.toString());
        field(b, "kind", kind);
        field(b, "tenant", tenant);
        field(b, "principal", principal);
        field(b, "tokenId", tokenId);
        field(b, "source", source);
        field(b, "statement", statement);
        field(b, "outcome", outcome);
        field(b, "reason", reason);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
