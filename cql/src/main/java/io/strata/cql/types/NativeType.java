package io.strata.cql.types;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.result.RawType;
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
    ASCII("ascii", ProtocolConstants.DataType.ASCII, -1),
    BIGINT("bigint", ProtocolConstants.DataType.BIGINT, 8),
    BLOB("blob", ProtocolConstants.DataType.BLOB, -1),
    BOOLEAN("boolean", ProtocolConstants.DataType.BOOLEAN, 1),
    COUNTER("counter", ProtocolConstants.DataType.COUNTER, 8),
    DATE("date", ProtocolConstants.DataType.DATE, 4),
    DECIMAL("decimal", ProtocolConstants.DataType.DECIMAL, -1),
    DOUBLE("double", ProtocolConstants.DataType.DOUBLE, 8),
    DURATION("duration", ProtocolConstants.DataType.DURATION, -1),
    FLOAT("float", ProtocolConstants.DataType.FLOAT, 4),
    INET("inet", ProtocolConstants.DataType.INET, -1),
    INT("int", ProtocolConstants.DataType.INT, 4),
    SMALLINT("smallint", ProtocolConstants.DataType.SMALLINT, 2),
    TEXT("text", ProtocolConstants.DataType.VARCHAR, -1),
    TIME("time", ProtocolConstants.DataType.TIME, 8),
    TIMESTAMP("timestamp", ProtocolConstants.DataType.TIMESTAMP, 8),
    TIMEUUID("timeuuid", ProtocolConstants.DataType.TIMEUUID, 16),
    TINYINT("tinyint", ProtocolConstants.DataType.TINYINT, 1),
    UUID("uuid", ProtocolConstants.DataType.UUID, 16),
    VARINT("varint", ProtocolConstants.DataType.VARINT, -1);

    private static final Map<String, NativeType> BY_NAME = Stream.of(values())
            .collect(Collectors.toMap(t -> t.cqlName, Function.identity()));

    private final String cqlName;
    private final int protocolId;
    private final int fixedLength;

    NativeType(String cqlName, int protocolId, int fixedLength) {
        this.cqlName = cqlName;
        this.protocolId = protocolId;
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
    public RawType rawType() {
        return RawType.PRIMITIVES.get(protocolId);
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
