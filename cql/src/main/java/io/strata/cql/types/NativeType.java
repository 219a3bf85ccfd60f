package io.strata.cql.types;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The primitive CQL types. {@code fixedLength} is the serialized size for fixed-width types, -1 otherwise;
 * {@code varchar} is an alias of {@code text}.
 */
public enum NativeType implements DataType {
    ASCII("ascii", -1),
    BIGINT("bigint", 8),
    BLOB("blob", -1),
    BOOLEAN("boolean", 1),
    COUNTER("counter", 8),
    DATE("date", 4),
    DECIMAL("decimal", -1),
    DOUBLE("double", 8),
    DURATION("duration", -1),
    FLOAT("float", 4),
    INET("inet", -1),
    INT("int", 4),
    SMALLINT("smallint", 2),
    TEXT("text", -1),
    TIME("time", 8),
    TIMESTAMP("timestamp", 8),
    TIMEUUID("timeuuid", 16),
    TINYINT("tinyint", 1),
    UUID("uuid", 16),
    VARINT("varint", -1);

    private static final Map<String, NativeType> BY_NAME = Stream.of(values())
            .collect(Collectors.toMap(t -> t.cqlName, Function.identity()));

    private final String cqlName;
    private final int fixedLength;

    NativeType(String cqlName, int fixedLength) {
        this.cqlName = cqlName;
        this.fixedLength = fixedLength;
    }

    /** The type for a CQL name ({@code varchar} maps to {@link #TEXT}), or null. */
    public static NativeType byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return "varchar".equals(n) ? TEXT : BY_NAME.get(n);
    }

    public int fixedLength() {
        return fixedLength;
    }

    @Override
    public String cql() {
        return cqlName;
    }

    @Override
    public boolean isFrozen() {
        return true;
    }

    @Override
    public boolean isValidInPrimaryKey() {
        return this != DURATION && this != COUNTER;
    }
}
