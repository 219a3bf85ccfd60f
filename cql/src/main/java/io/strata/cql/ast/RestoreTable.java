package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Amazon Keyspaces' {@code RESTORE TABLE [ks.]target FROM TABLE [ks.]source [WITH restore_timestamp = '...'
 * [AND custom_properties = {...}] [AND autoscaling_settings = {...}] [AND tags = {...}]]}: a point-in-time restore
 * of {@code source} into the new table {@code target}. {@code properties} as given (names lower case).
 */
public record RestoreTable(QualifiedName target, QualifiedName source, Map<String, Object> properties) implements Statement {
    public RestoreTable {
        requireNonNull(target, "target is null");
        requireNonNull(source, "source is null");
        properties = PropertyMaps.copy(properties);
    }
}
