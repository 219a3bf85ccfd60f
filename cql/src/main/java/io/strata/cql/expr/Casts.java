package io.strata.cql.expr;

import io.strata.cql.request.CqlException;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code CAST(x AS type)} between native types, as Cassandra's cast functions define them. Stateless. */
public final class Casts {
    private Casts() {}

    private static boolean isNumeric(NativeType t) {
        return switch (t) {
            case TINYINT, SMALLINT, INT, BIGINT, COUNTER, VARINT, FLOAT, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    public static boolean castable(NativeType from, NativeType to) {
        if (from == to) {
            return true;
        }
        if (to == NativeType.TEXT || to == NativeType.ASCII) {
            // As Cassandra: every type has a text form but blobs and durations.
            return from != NativeType.BLOB && from != NativeType.DURATION;
        }
        if (isNumeric(from) && isNumeric(to) && to != NativeType.COUNTER) {
            return true;
        }
        return switch (to) {
            case TIMESTAMP -> from == NativeType.DATE || from == NativeType.TIMEUUID;
            case DATE -> from == NativeType.TIMESTAMP || from == NativeType.TIMEUUID;
            default -> false;
        };
    }

    public static byte[] cast(NativeType from, NativeType to, byte[] v) {
        if (from == to) {
            return v;
        }
        if (to == NativeType.TEXT || to == NativeType.ASCII) {
            return text(from, v).getBytes(StandardCharsets.UTF_8);
        }
        if (to == NativeType.TIMESTAMP || to == NativeType.DATE) {
            String fn = to == NativeType.TIMESTAMP ? "totimestamp" : "todate";
            return Functions.resolve(fn, List.of(from)).call(List.of(v), null);
        }
        BigDecimal n = switch (from) {
            case TINYINT -> BigDecimal.valueOf(v[0]);
            case SMALLINT -> BigDecimal.valueOf(ByteBuffer.wrap(v).getShort());
            case INT -> BigDecimal.valueOf(ByteBuffer.wrap(v).getInt());
            case BIGINT, COUNTER -> BigDecimal.valueOf(ByteBuffer.wrap(v).getLong());
            case VARINT -> new BigDecimal(new BigInteger(v));
            case FLOAT -> new BigDecimal(Float.toString(ByteBuffer.wrap(v).getFloat()));
            case DOUBLE -> new BigDecimal(Double.toString(ByteBuffer.wrap(v).getDouble()));
            case DECIMAL -> Values.decimal(v);
            default -> throw CqlException.invalid("Cannot cast " + from.cql() + " to " + to.cql());
        };
        return switch (to) {
            case TINYINT -> new byte[] {n.byteValue()};
            case SMALLINT -> ByteBuffer.allocate(2).putShort(n.shortValue()).array();
            case INT -> Values.ofInt(n.intValue());
            case BIGINT -> Values.ofLong(n.longValue());
            case VARINT -> n.toBigInteger().toByteArray();
            case FLOAT -> ByteBuffer.allocate(4).putFloat(n.floatValue()).array();
            case DOUBLE -> ByteBuffer.allocate(8).putDouble(n.doubleValue()).array();
            case DECIMAL -> Values.decimal(n);
            default -> throw CqlException.invalid("Cannot cast " + from.cql() + " to " + to.cql());
        };
    }

    private static final java.time.format.DateTimeFormatter TIMESTAMP_TEXT = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The text CAST gives, as Cassandra's type serializers print values (Java's forms for numbers). */
    private static String text(NativeType from, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return switch (from) {
            case TEXT, ASCII -> new String(v, StandardCharsets.UTF_8);
            case FLOAT -> Float.toString(b.getFloat());
            case DOUBLE -> Double.toString(b.getDouble());
            case DECIMAL -> Values.decimal(v).toString();
            case TIMESTAMP -> TIMESTAMP_TEXT.format(java.time.Instant.ofEpochMilli(b.getLong()));
            case TIME -> {
                long nanos = b.getLong();
                yield String.format(java.util.Locale.ROOT, "%02d:%02d:%02d.%09d", nanos / 3_600_000_000_000L,
                        nanos / 60_000_000_000L % 60, nanos / 1_000_000_000L % 60, nanos % 1_000_000_000L);
            }
            default -> {
                String s = TypedValues.toCql(from, v);
                yield s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
            }
        };
    }
}
