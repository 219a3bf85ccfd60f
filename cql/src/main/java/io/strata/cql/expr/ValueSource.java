package io.strata.cql.expr;

import io.strata.cql.request.CqlException;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.InvalidValueException;
import io.strata.cql.types.TypedValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a value of a statement comes from at execution: a constant computed at prepare time, a bind
 * variable, a collection/tuple/UDT literal with bound parts, or a function evaluated per execution
 * (now(), uuid(), toTimestamp(?)...). Values are serialized in their canonical form. Immutable.
 */
public sealed interface ValueSource {
    /** The serialized value, null for CQL null, or {@link Bindings#UNSET}. */
    public byte[] resolve(Bindings bindings, EvalContext ctx);

    record Constant(byte[] value) implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, EvalContext ctx) {
            return value;
        }
    }

    record Bind(int index, String name, DataType type) implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, EvalContext ctx) {
            if (index >= bindings.size()) {
                throw CqlException.invalid("There were " + bindings.size() + " markers(?) in CQL but " + (index + 1)
                        + " or more values are needed");
            }
            byte[] v = bindings.get(index);
            if (v == null || Bindings.isUnset(v)) {
                return v;
            }
            try {
                return TypedValues.canonical(type, v);
            } catch (InvalidValueException e) {
                throw CqlException.invalid("Invalid value for " + name + ": " + e.getMessage());
            }
        }
    }

    /**
     * A collection, tuple or UDT literal with at least one non-constant part. For lists and sets the parts
     * are the elements, for maps keys and values alternately, for tuples and UDTs the components.
     */
    record Composite(DataType type, List<ValueSource> parts) implements ValueSource {
        public Composite {
            parts = List.copyOf(parts);
        }

        @Override
        public byte[] resolve(Bindings bindings, EvalContext ctx) {
            List<byte[]> values = new ArrayList<>(parts.size());
            for (ValueSource p : parts) {
                byte[] v = p.resolve(bindings, ctx);
                if (Bindings.isUnset(v)) {
                    throw CqlException.invalid("Invalid unset value in a collection, tuple or UDT literal");
                }
                values.add(v);
            }
            return build(type, values);
        }

        /** Serializes a literal's parts; nulls are refused inside collections, as Cassandra does. */
        public static byte[] build(DataType type, List<byte[]> values) {
            if (!(type instanceof CollectionType ct)) {
                return TypedValues.components(values);
            }
            for (byte[] v : values) {
                if (v == null) {
                    throw CqlException.invalid("null is not supported inside collections");
                }
            }
            try {
                return switch (ct.kind()) {
                    case LIST -> CollectionCodec.list(values);
                    case SET -> TypedValues.set(ct.keyOrElement(), values);
                    case MAP -> {
                        List<byte[]> keys = new ArrayList<>();
                        List<byte[]> vals = new ArrayList<>();
                        for (int i = 0; i < values.size(); i += 2) {
                            keys.add(values.get(i));
                            vals.add(values.get(i + 1));
                        }
                        yield TypedValues.map(ct.keyOrElement(), ct.value(), keys, vals);
                    }
                };
            } catch (InvalidValueException e) {
                throw CqlException.invalid(e.getMessage());
            }
        }
    }

    /** A native scalar function applied to argument sources, evaluated per execution. */
    record Call(Functions.Scalar function, List<ValueSource> args) implements ValueSource {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public byte[] resolve(Bindings bindings, EvalContext ctx) {
            List<byte[]> values = new ArrayList<>(args.size());
            for (ValueSource a : args) {
                byte[] v = a.resolve(bindings, ctx);
                if (Bindings.isUnset(v)) {
                    throw CqlException.invalid("Invalid unset value for argument in call to function "
                            + function.signature());
                }
                values.add(v);
            }
            return function.call(values, ctx);
        }
    }

    /**
     * One column of INSERT JSON: the document (a literal or a bound text) is parsed per execution and this
     * column's entry decoded; a missing entry is null (DEFAULT NULL) or unset (DEFAULT UNSET, never for
     * primary key columns). An entry naming no column of the table fails the statement.
     */
    record FromJson(ValueSource document, String column, DataType type, boolean defaultUnset, boolean primaryKey,
            java.util.Set<String> columns) implements ValueSource {
        /**
         * The last document parsed on this thread: every column of one INSERT JSON resolves the same document
         * array in turn, so it is parsed and checked once per execution, not once per column.
         */
        private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

        @SuppressWarnings("unchecked")
        private static java.util.Map<String, jakarta.json.JsonValue> parsed(byte[] doc, java.util.Set<String> columns) {
            Object[] last = LAST.get();
            if (last != null && last[0] == doc) {
                return (java.util.Map<String, jakarta.json.JsonValue>) last[1];
            }
            java.util.Map<String, jakarta.json.JsonValue> entries = JsonCodec.columns(
                    JsonCodec.parse(new String(doc, java.nio.charset.StandardCharsets.UTF_8)));
            for (String name : entries.keySet()) {
                if (!columns.contains(name)) {
                    throw CqlException.invalid("JSON values map contains unrecognized column: " + name);
                }
            }
            LAST.set(new Object[] {doc, entries});
            return entries;
        }

        @Override
        public byte[] resolve(Bindings bindings, EvalContext ctx) {
            byte[] doc = document.resolve(bindings, ctx);
            if (doc == null || Bindings.isUnset(doc)) {
                throw CqlException.invalid("Got null for INSERT JSON values");
            }
            java.util.Map<String, jakarta.json.JsonValue> entries = parsed(doc, columns);
            if (!entries.containsKey(column)) {
                return defaultUnset && !primaryKey ? Bindings.UNSET : null;
            }
            return JsonCodec.fromJson(type, entries.get(column), column);
        }
    }
}
