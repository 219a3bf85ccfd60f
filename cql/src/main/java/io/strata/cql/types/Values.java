package io.strata.cql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Validation and text rendering of serialized native values. Stateless, thread-safe.
 */
public final class Values {
    /** CQL's date type stores days as an unsigned int with the epoch at 2^31. */
    public static final long DATE_EPOCH_OFFSET = 1L << 31;

    private static final DateTimeFormatter TIMESTAMP_OUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private Values() {}

    /**
     * Checks that {@code value} is a valid serialization of {@code type}; an empty array is accepted
     * (CQL's "empty value") for every type but those where Cassandra rejects it.
     *
     * @throws InvalidValueException with a message naming the type and the problem
     */
    public static void validate(NativeType type, byte[] value) {
        if (value.length == 0) {
            return;
        }
        int fixed = type.fixedLength();
        if (fixed > 0 && value.length != fixed) {
            throw new InvalidValueException("Expected " + fixed + " bytes for a " + type.cql() + " value, got "
                    + value.length);
        }
        switch (type) {
            case ASCII -> {
                for (byte b : value) {
                    if (b < 0) {
                        throw new InvalidValueException("Invalid byte for ascii: " + (b & 0xff));
                    }
                }
            }
            case TEXT -> {
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value));
                } catch (CharacterCodingException e) {
                    throw new InvalidValueException("String didn't validate.");
                }
            }
            case DECIMAL -> {
                if (value.length < 4) {
                    throw new InvalidValueException("A decimal needs at least 4 bytes, got " + value.length);
                }
            }
            case INET -> {
                if (value.length != 4 && value.length != 16) {
                    throw new InvalidValueException("Invalid inet address length: " + value.length);
                }
            }
            case TIME -> {
                long nanos = ByteBuffer.wrap(value).getLong();
                if (nanos < 0 || nanos >= 86_400_000_000_000L) {
                    throw new InvalidValueException("time value out of range (0 to 86399999999999 ns): " + nanos);
                }
            }
            case TIMEUUID -> {
                if (((value[6] >> 4) & 0x0f) != 1) {
                    throw new InvalidValueException("Unsupported UUID version for timeuuid: expected a time-based (version 1) UUID");
                }
            }
            default -> {
                // fixed-length checks above suffice
            }
        }
    }

    /** Renders a value as a CQL literal (for messages and DESCRIBE). */
    public static String toCqlLiteral(NativeType type, byte[] v) {
        if (v == null) {
            return "null";
        }
        if (v.length == 0 && type != NativeType.TEXT && type != NativeType.ASCII && type != NativeType.BLOB) {
            return "''";
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return switch (type) {
            case ASCII, TEXT -> "'" + new String(v, StandardCharsets.UTF_8).replace("'", "''") + "'";
            case BIGINT, COUNTER -> Long.toString(b.getLong());
            case INT -> Integer.toString(b.getInt());
            case SMALLINT -> Short.toString(b.getShort());
            case TINYINT -> Byte.toString(b.get());
            case BOOLEAN -> Boolean.toString(v[0] != 0);
            case BLOB -> "0x" + HexFormat.of().formatHex(v);
            case DOUBLE -> Double.toString(b.getDouble());
            case FLOAT -> Float.toString(b.getFloat());
            case VARINT -> new BigInteger(v).toString();
            case DECIMAL -> decimal(v).toString();
            case UUID, TIMEUUID -> new java.util.UUID(b.getLong(), b.getLong()).toString();
            case TIMESTAMP -> "'" + TIMESTAMP_OUT.format(Instant.ofEpochMilli(b.getLong())) + "'";
            case DATE -> "'" + LocalDate.ofEpochDay((b.getInt() & 0xffffffffL) - DATE_EPOCH_OFFSET) + "'";
            case TIME -> "'" + LocalTime.ofNanoOfDay(b.getLong()) + "'";
            case INET -> {
                try {
                    yield "'" + InetAddress.getByAddress(v).getHostAddress() + "'";
                } catch (UnknownHostException e) {
                    yield "0x" + HexFormat.of().formatHex(v);
                }
            }
            case DURATION -> Durations.format(v);
        };
    }

    public static BigDecimal decimal(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        int scale = b.getInt();
        byte[] unscaled = new byte[v.length - 4];
        b.get(unscaled);
        return new BigDecimal(unscaled.length == 0 ? BigInteger.ZERO : new BigInteger(unscaled), scale);
    }

    public static byte[] decimal(BigDecimal d) {
        byte[] unscaled = d.unscaledValue().toByteArray();
        return ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array();
    }

    public static byte[] ofInt(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    public static byte[] ofLong(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    public static byte[] ofText(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] ofUuid(java.util.UUID u) {
        return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
    }

    public static byte[] ofBoolean(boolean b) {
        return new byte[] {(byte) (b ? 1 : 0)};
    }
}
