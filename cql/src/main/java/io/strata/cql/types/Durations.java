package io.strata.cql.types;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CQL {@code duration}: (months, days, nanoseconds), serialized as three zig-zag variable-length integers
 * (Cassandra's vint encoding: the count of leading one bits of the first byte is the number of extra bytes).
 * Literals: {@code 1y2mo3w4d5h6m7s8ms9us10ns} (µs also accepted), ISO 8601 {@code P1Y2M3DT4H5M6S},
 * {@code P2W} and the alternative {@code P0001-02-03T04:05:06}.
 */
public final class Durations {
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MINUTE = 60 * NANOS_PER_SECOND;
    private static final long NANOS_PER_HOUR = 60 * NANOS_PER_MINUTE;

    private static final Pattern UNIT = Pattern.compile("(\\d+)(y|mo|w|d|h|s|ms|us|µs|ns|m)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ISO = Pattern.compile(
            "P(?:(\\d+)Y)?(?:(\\d+)M)?(?:(\\d+)D)?(?:T(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)S)?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ISO_WEEK = Pattern.compile("P(\\d+)W", Pattern.CASE_INSENSITIVE);
    private static final Pattern ISO_ALT = Pattern.compile(
            "P(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    public record Duration(int months, int days, long nanos) {}

    public static byte[] parse(String text) {
        String s = text.trim();
        boolean negative = s.startsWith("-");
        if (negative) {
            s = s.substring(1);
        }
        long months = 0;
        long days = 0;
        long nanos = 0;
        Matcher m;
        if ((m = ISO_WEEK.matcher(s)).matches()) {
            days = 7 * Long.parseLong(m.group(1));
        } else if ((m = ISO_ALT.matcher(s)).matches()) {
            months = 12 * Long.parseLong(m.group(1)) + Long.parseLong(m.group(2));
            days = Long.parseLong(m.group(3));
            nanos = Long.parseLong(m.group(4)) * NANOS_PER_HOUR + Long.parseLong(m.group(5)) * NANOS_PER_MINUTE
                    + Long.parseLong(m.group(6)) * NANOS_PER_SECOND;
        } else if (s.length() > 1 && (m = ISO.matcher(s)).matches()) {
            months = 12 * group(m, 1) + group(m, 2);
            days = group(m, 3);
            nanos = group(m, 4) * NANOS_PER_HOUR + group(m, 5) * NANOS_PER_MINUTE + group(m, 6) * NANOS_PER_SECOND;
        } else {
            m = UNIT.matcher(s);
            int end = 0;
            if (s.isEmpty()) {
                throw new InvalidValueException("Unable to convert '" + text + "' to a duration");
            }
            while (m.find()) {
                if (m.start() != end) {
                    throw new InvalidValueException("Unable to convert '" + text + "' to a duration");
                }
                end = m.end();
                long n = Long.parseLong(m.group(1));
                switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "y" -> months += 12 * n;
                    case "mo" -> months += n;
                    case "w" -> days += 7 * n;
                    case "d" -> days += n;
                    case "h" -> nanos += n * NANOS_PER_HOUR;
                    case "m" -> nanos += n * NANOS_PER_MINUTE;
                    case "s" -> nanos += n * NANOS_PER_SECOND;
                    case "ms" -> nanos += n * NANOS_PER_MILLI;
                    case "us", "µs" -> nanos += n * NANOS_PER_MICRO;
                    case "ns" -> nanos += n;
                    default -> throw new InvalidValueException("Unknown duration unit in '" + text + "'");
                }
            }
            if (end != s.length()) {
                throw new InvalidValueException("Unable to convert '" + text + "' to a duration");
            }
        }
        if (months > Integer.MAX_VALUE || days > Integer.MAX_VALUE) {
            throw new InvalidValueException("Duration out of range: " + text);
        }
        int sign = negative ? -1 : 1;
        return serialize(new Duration((int) (sign * months), (int) (sign * days), sign * nanos));
    }

    private static long group(Matcher m, int g) {
        return m.group(g) == null ? 0 : Long.parseLong(m.group(g));
    }

    public static byte[] serialize(Duration d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(12);
        writeVInt(out, zigzag(d.months()));
        writeVInt(out, zigzag(d.days()));
        writeVInt(out, zigzag(d.nanos()));
        return out.toByteArray();
    }

    public static Duration deserialize(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        long months = unzigzag(readVInt(b));
        long days = unzigzag(readVInt(b));
        long nanos = unzigzag(readVInt(b));
        if (b.hasRemaining()) {
            throw new InvalidValueException("Invalid duration: trailing bytes");
        }
        return new Duration((int) months, (int) days, nanos);
    }

    public static String format(byte[] v) {
        Duration d = deserialize(v);
        StringBuilder sb = new StringBuilder();
        boolean neg = d.months() < 0 || d.days() < 0 || d.nanos() < 0;
        if (neg) {
            sb.append('-');
        }
        long months = Math.abs((long) d.months());
        long days = Math.abs((long) d.days());
        long nanos = Math.abs(d.nanos());
        append(sb, months / 12, "y");
        append(sb, months % 12, "mo");
        append(sb, days, "d");
        append(sb, nanos / NANOS_PER_HOUR, "h");
        nanos %= NANOS_PER_HOUR;
        append(sb, nanos / NANOS_PER_MINUTE, "m");
        nanos %= NANOS_PER_MINUTE;
        append(sb, nanos / NANOS_PER_SECOND, "s");
        nanos %= NANOS_PER_SECOND;
        append(sb, nanos / NANOS_PER_MILLI, "ms");
        nanos %= NANOS_PER_MILLI;
        append(sb, nanos / NANOS_PER_MICRO, "us");
        append(sb, nanos % NANOS_PER_MICRO, "ns");
        return sb.length() == (neg ? 1 : 0) ? "0s" : sb.toString();
    }

    private static void append(StringBuilder sb, long n, String unit) {
        if (n != 0) {
            sb.append(n).append(unit);
        }
    }

    private static long zigzag(long n) {
        return (n << 1) ^ (n >> 63);
    }

    private static long unzigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }

    static void writeVInt(ByteArrayOutputStream out, long value) {
        int size = vintSize(value);
        if (size == 1) {
            out.write((int) value);
            return;
        }
        byte[] buf = new byte[size];
        long v = value;
        for (int i = size - 1; i >= 0; i--) {
            buf[i] = (byte) v;
            v >>>= 8;
        }
        int extra = size - 1;
        if (extra < 8) {
            buf[0] |= (byte) (~(0xff >>> extra));
        } else {
            buf[0] = (byte) 0xff;
        }
        out.write(buf, 0, size);
    }

    private static int vintSize(long value) {
        int magnitude = Long.numberOfLeadingZeros(value | 1);
        // 9 bytes when more than 56 significant bits, otherwise one extra byte per 7 bits beyond the first 7.
        return (639 - magnitude * 9) >> 6;
    }

    static long readVInt(ByteBuffer b) {
        if (!b.hasRemaining()) {
            throw new InvalidValueException("Invalid duration: truncated");
        }
        int first = b.get();
        if (first >= 0) {
            return first;
        }
        int extra = Integer.numberOfLeadingZeros(~first) - 24;
        if (b.remaining() < extra) {
            throw new InvalidValueException("Invalid duration: truncated");
        }
        long value = extra >= 8 ? 0 : first & (0xff >>> extra);
        for (int i = 0; i < extra; i++) {
            value = (value << 8) | (b.get() & 0xff);
        }
        return value;
    }
}
