package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * {@code CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON [ks.]table (target) [USING 'class'] [WITH ...]}.
 * Parsed so that the executor can refuse it with a precise message. {@code indexName} and
 * {@code customClass} are null when absent; {@code target} is the column and {@code targetKind} says
 * whether it was wrapped in {@code KEYS(...)}, {@code VALUES(...)}, {@code ENTRIES(...)} or {@code FULL(...)}.
 */
public record CreateIndex(
        String indexName,
        QualifiedName table,
        boolean ifNotExists,
        String target,
        TargetKind targetKind,
        String customClass,
        Map<String, Object> properties) implements Statement {
    public CreateIndex {
        requireNonNull(table, "table is null");
        requireNonNull(target, "target is null");
        requireNonNull(targetKind, "targetKind is null");
        properties = PropertyMaps.copy(properties);
    }

    /** How the indexed column was named. */
    public enum TargetKind { SIMPLE, KEYS, VALUES, ENTRIES, FULL }
}
