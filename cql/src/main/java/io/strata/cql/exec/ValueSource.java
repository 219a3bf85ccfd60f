package io.strata.cql.exec;

import io.strata.cql.types.DataType;
import io.strata.cql.types.InvalidValueException;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;

/**
 * Where a value of a statement comes from at execution: a constant computed at prepare time, a bind
 * variable, or a non-deterministic function evaluated per execution (now(), uuid()). Immutable.
 */
sealed interface ValueSource {
    /** The serialized value, null for CQL null, or {@link Bindings#UNSET}. */
    byte[] resolve(Bindings bindings, ExecutionContext ctx);

    record Constant(byte[] value) implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, ExecutionContext ctx) {
            return value;
        }
    }

    record Bind(int index, String name, DataType type) implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, ExecutionContext ctx) {
            if (index >= bindings.size()) {
                throw CqlException.invalid("There were " + bindings.size() + " markers(?) in CQL but " + (index + 1)
                        + " or more values are needed");
            }
            byte[] v = bindings.get(index);
            if (v != null && !Bindings.isUnset(v) && type instanceof NativeType nt) {
                try {
                    Values.validate(nt, v);
                } catch (InvalidValueException e) {
                    throw CqlException.invalid("Invalid value for " + name + ": " + e.getMessage());
                }
            }
            return v;
        }
    }

    /** now() / currentTimeUUID(): a fresh time-based UUID per execution. */
    record NowTimeUuid() implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, ExecutionContext ctx) {
            return Values.ofUuid(ctx.timeUuids().next());
        }
    }

    /** uuid(): a fresh random UUID per execution. */
    record RandomUuid() implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, ExecutionContext ctx) {
            return Values.ofUuid(java.util.UUID.randomUUID());
        }
    }

    /** currentTimestamp() / toTimestamp(now()): the execution's time in milliseconds. */
    record NowTimestamp() implements ValueSource {
        @Override
        public byte[] resolve(Bindings bindings, ExecutionContext ctx) {
            return Values.ofLong(ctx.nowMillis());
        }
    }
}
