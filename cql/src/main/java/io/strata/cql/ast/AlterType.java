package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ALTER TYPE [ks.]name ADD field type} or {@code ALTER TYPE [ks.]name RENAME a TO b [AND ...]}. */
public record AlterType(QualifiedName name, Action action) implements Statement {
    public AlterType {
        requireNonNull(name, "name is null");
        requireNonNull(action, "action is null");
    }

    /** What an {@code ALTER TYPE} does. */
    public sealed interface Action permits AddField, RenameFields {
    }

    /** {@code ADD field type}. */
    public record AddField(FieldDefinition field) implements Action {
        public AddField {
            requireNonNull(field, "field is null");
        }
    }

    /** {@code RENAME a TO b [AND c TO d]}: old name → new name, in written order. */
    public record RenameFields(Map<String, String> renames) implements Action {
        public RenameFields {
            renames = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(renames, "renames is null")));
        }
    }
}
