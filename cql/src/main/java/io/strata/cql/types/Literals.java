package io.strata.cql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Converts CQL literals to serialized values of a native type, following Cassandra's accepted spellings
 * (timestamps as milliseconds or ISO-8601 strings, dates as 'yyyy-mm-dd' or unsigned day numbers, times as
 * 'hh:mm:ss[.fffffffff]' or nanoseconds, ...). Errors name the literal and the type, as Cassandra does.
 * Stateless, thread-safe.
 */
public final class Literals {
    /** The lexical class of a literal, as the parser saw it. */
    public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, UUID, HEX, DURATION, NAN, INFINITY }

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart()
            .appendPattern("HH:mm")
            .optionalStart().appendPattern(":ss").optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
            .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
            .toFormatter(Locale.ROOT);

    private Literals() {}

    public static byte[] parse(NativeType type, Kind kind, String text) {
        try {
            return doParse(type, kind, text);
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw invalid(type, text);
        }
    }

    private static byte[] doParse(NativeType type, Kind kind, String text) {
        switch (type) {
            case ASCII -> {
                expect(type, kind, text, Kind.STRING);
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) > 127) {
                        throw new InvalidValueException("Invalid ASCII character in string literal '" + text + "'");
                    }
                }
                return text.getBytes(StandardCharsets.US_ASCII);
            }
            case TEXT -> {
                expect(type, kind, text, Kind.STRING);
                return text.getBytes(StandardCharsets.UTF_8);
            }
            case BIGINT, COUNTER -> {
                expect(type, kind, text, Kind.INTEGER);
                return Values.ofLong(Long.parseLong(text));
            }
            case INT -> {
                expect(type, kind, text, Kind.INTEGER);
                return Values.ofInt(Integer.parseInt(text));
            }
            case SMALLINT -> {
                expect(type, kind, text, Kind.INTEGER);
                return ByteBuffer.allocate(2).putShort(Short.parseShort(text)).array();
            }
            case TINYINT -> {
                expect(type, kind, text, Kind.INTEGER);
                return new byte[] {Byte.parseByte(text)};
            }
            case VARINT -> {
                expect(type, kind, text, Kind.INTEGER);
                return new BigInteger(text).toByteArray();
            }
            case DECIMAL -> {
                expect(type, kind, text, Kind.INTEGER, Kind.FLOAT);
                return Values.decimal(new BigDecimal(text));
            }
            case DOUBLE -> {
                expect(type, kind, text, Kind.INTEGER, Kind.FLOAT, Kind.NAN, Kind.INFINITY);
                return ByteBuffer.allocate(8).putDouble(Double.parseDouble(text)).array();
            }
            case FLOAT -> {
                expect(type, kind, text, Kind.INTEGER, Kind.FLOAT, Kind.NAN, Kind.INFINITY);
                return ByteBuffer.allocate(4).putFloat(Float.parseFloat(text)).array();
            }
            case BOOLEAN -> {
                expect(type, kind, text, Kind.BOOLEAN);
                return Values.ofBoolean(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
            }
            case BLOB -> {
                expect(type, kind, text, Kind.HEX);
                String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
                if (hex.length() % 2 != 0) {
                    throw new InvalidValueException("Invalid hex string for blob: odd number of digits in 0x" + hex);
                }
                return HexFormat.of().parseHex(hex);
            }
            case UUID -> {
                expect(type, kind, text, Kind.UUID);
                return Values.ofUuid(java.util.UUID.fromString(text));
            }
            case TIMEUUID -> {
                expect(type, kind, text, Kind.UUID);
                UUID u = java.util.UUID.fromString(text);
                if (u.version() != 1) {
                    throw new InvalidValueException("TimeUUID supports only version 1 UUIDs");
                }
                return Values.ofUuid(u);
            }
            case TIMESTAMP -> {
                expect(type, kind, text, Kind.INTEGER, Kind.STRING);
                if (kind == Kind.INTEGER) {
                    return Values.ofLong(Long.parseLong(text));
                }
                if (text.isEmpty()) {
                    return new byte[0]; // Cassandra: '' is the empty value, not an error
                }
                return Values.ofLong(parseTimestamp(text));
            }
            case DATE -> {
                expect(type, kind, text, Kind.INTEGER, Kind.STRING);
                // a string of digits is the raw unsigned day number (epoch at 2^31), like the integer literal
                if (kind == Kind.INTEGER || text.matches("-?\\d+")) {
                    long days = Long.parseLong(text);
                    if (days < 0 || days > 0xffffffffL) {
                        throw invalid(type, text);
                    }
                    return Values.ofInt((int) days);
                }
                long epochDay = LocalDate.parse(text).toEpochDay();
                long raw = epochDay + Values.DATE_EPOCH_OFFSET;
                if (raw < 0 || raw > 0xffffffffL) {
                    throw new InvalidValueException("Input date " + text + " is outside the supported range "
                            + "-5877641-06-23 to 5881580-07-11");
                }
                return Values.ofInt((int) raw);
            }
            case TIME -> {
                expect(type, kind, text, Kind.INTEGER, Kind.STRING);
                long nanos;
                if (kind == Kind.INTEGER || text.matches("-?\\d+")) {
                    nanos = Long.parseLong(text); // raw nanoseconds since midnight
                } else if (!text.matches("\\d{1,2}:\\d{2}:\\d{2}(\\.\\d{1,9})?")) {
                    throw new InvalidValueException("Unable to coerce '" + text + "' to a formatted time (long): "
                            + "hh:mm:ss[.fffffffff] is required");
                } else {
                    nanos = LocalTime.parse(text.indexOf(':') == 1 ? "0" + text : text).toNanoOfDay();
                }
                if (nanos < 0 || nanos >= 86_400_000_000_000L) {
                    throw invalid(type, text);
                }
                return Values.ofLong(nanos);
            }
            case INET -> {
                expect(type, kind, text, Kind.STRING);
                if (text.isEmpty()) {
                    return new byte[0]; // Cassandra: '' is the empty value
                }
                if (!text.matches("[0-9a-fA-F:.]+")) {
                    throw invalid(type, text);
                }
                try {
                    return InetAddress.getByName(text).getAddress();
                } catch (UnknownHostException e) {
                    throw invalid(type, text);
                }
            }
            case DURATION -> {
                // Cassandra: a quoted string is not a duration (only the unquoted 1h30m / P1Y forms)
                expect(type, kind, text, Kind.DURATION);
                return Durations.parse(text);
            }
        }
        throw invalid(type, text);
    }

    /** Parses Cassandra's accepted timestamp strings; without an offset the time is UTC. */
    public static long parseTimestamp(String text) {
        String t = text.trim();
        try {
            var parsed = TIMESTAMP.parseBest(t, OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime odt) {
                return odt.toInstant().toEpochMilli();
            }
            return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException("Unable to parse a date/time from '" + text + "'");
        }
    }

    private static void expect(NativeType type, Kind kind, String text, Kind... allowed) {
        for (Kind k : allowed) {
            if (k == kind) {
                return;
            }
        }
        throw invalid(type, text);
    }

    private static InvalidValueException invalid(NativeType type, String text) {
        return new InvalidValueException("Invalid " + describe(text) + " for type " + type.cql() + ": '" + text + "'");
    }

    private static String describe(String text) {
        return "literal";
    }
}
