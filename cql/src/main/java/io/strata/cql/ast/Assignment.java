package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** One operation of an {@code UPDATE ... SET}. Immutable. */
public sealed interface Assignment {

    /** The column the assignment writes. */
    String column();

    /** {@code c = value}. */
    record SetColumn(String column, Term value) implements Assignment {
        public SetColumn {
            requireNonNull(column, "column is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c[key] = value} (map key or list index). */
    record SetElement(String column, Term key, Term value) implements Assignment {
        public SetElement {
            requireNonNull(column, "column is null");
            requireNonNull(key, "key is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c.field = value} on a non-frozen UDT. */
    record SetField(String column, String field, Term value) implements Assignment {
        public SetField {
            requireNonNull(column, "column is null");
            requireNonNull(field, "field is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c = c + value} or {@code c += value}: counter increment or collection append/union. */
    record Increment(String column, Term value) implements Assignment {
        public Increment {
            requireNonNull(column, "column is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c = c - value} or {@code c -= value}: counter decrement or collection removal. */
    record Decrement(String column, Term value) implements Assignment {
        public Decrement {
            requireNonNull(column, "column is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c = value + c}: list prepend. */
    record Prepend(String column, Term value) implements Assignment {
        public Prepend {
            requireNonNull(column, "column is null");
            requireNonNull(value, "value is null");
        }
    }
}
