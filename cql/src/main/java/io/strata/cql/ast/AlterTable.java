package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ALTER TABLE [ks.]name <action>}: one action per statement, as in Cassandra. */
public record AlterTable(QualifiedName name, Action action) implements Statement {
    public AlterTable {
        requireNonNull(name, "name is null");
        requireNonNull(action, "action is null");
    }

    /** What an {@code ALTER TABLE} does. */
    public sealed interface Action permits AddColumns, DropColumns, RenameColumns, WithProperties {
    }

    /** {@code ADD c type [STATIC]} or {@code ADD (c1 t1, c2 t2)}. */
    public record AddColumns(List<ColumnDefinition> columns) implements Action {
        public AddColumns {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** {@code DROP c} or {@code DROP (c1, c2)}; {@code USING TIMESTAMP} is not accepted. */
    public record DropColumns(List<String> columns) implements Action {
        public DropColumns {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
        }
    }

    /** {@code RENAME a TO b [AND c TO d]}: old name → new name, in written order. */
    public record RenameColumns(Map<String, String> renames) implements Action {
        public RenameColumns {
            renames = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(renames, "renames is null")));
        }
    }

    /** {@code WITH option = value [AND ...]}; values as in {@link CreateKeyspace}. */
    public record WithProperties(Map<String, Object> properties) implements Action {
        public WithProperties {
            properties = PropertyMaps.copy(requireNonNull(properties, "properties is null"));
        }
    }
}
