package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.TableMetadata;

/** {@code TRUNCATE table}: every row removed, durably; the table stays. Immutable. */
public record TruncatePlan(TableMetadata table) implements Plan {
    public TruncatePlan {
        requireNonNull(table, "table is null");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.truncate(this);
    }

    @Override
    public Access access() {
        return Access.WRITE;
    }
}
