package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.data.ByteUtils;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.oss.driver.internal.core.type.codec.TimestampCodec;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between CQL literals (as written in case files) and the driver's Java values, through the
 * driver's own codecs, so that expected and actual values are compared as values ({@code 1.5e3} equals
 * {@code 1500.0}; {@code '2000-01-01 00:00:00+0000'} equals {@code '2000-01-01T00:00:00.000Z'}). Timestamps
 * are formatted in UTC so that messages do not depend on the machine's zone.
 *
 * <p>Besides literals, expected values may be matchers, and bound values generators:
 * <ul>
 *   <li>{@code null}: the value is absent (no bytes); an empty value does not match it;</li>
 *   <li>{@code _}: any value that is not null;</li>
 *   <li>{@code empty}: a present value of zero bytes (Cassandra's "empty" value, e.g. {@code blobAsInt(0x)});</li>
 *   <li>{@code range(lo, hi)}: a number between lo and hi, both included (TTLs, server clocks);</li>
 *   <li>{@code like('pattern')}: a text where {@code %} stands for any run of characters; runs of
 *       whitespace in the pattern and in the value compare as one space (DESCRIBE output);</li>
 *   <li>{@code includes(literal)}: a map holding at least these entries, or a set or list holding at
 *       least these elements (system tables whose other entries are not the point of a case);</li>
 *   <li>{@code repeat('s', n)}: the text {@code s} repeated n times (also in bound values);</li>
 *   <li>{@code raw(0x...)}: in bound values only, these exact bytes whatever the marker's type.</li>
 * </ul>
 * Thread-safe.
 */
final class CqlValues {
    /** In expected rows: any non-null value (for server-generated values such as now()). */
    static final String ANY = "_";
    /** In expected rows: a present value of zero bytes. */
    static final String EMPTY = "empty";

    private static final TypeCodec<java.time.Instant> UTC_TIMESTAMP = new TimestampCodec(ZoneOffset.UTC);
    private static final Pattern RANGE = Pattern.compile("(?i)range\\(\\s*(\\S+?)\\s*,\\s*(\\S+?)\\s*\\)");
    private static final Pattern LIKE = Pattern.compile("(?is)like\\(\\s*('.*')\\s*\\)");
    private static final Pattern INCLUDES = Pattern.compile("(?is)includes\\((.*)\\)");
    private static final Pattern REPEAT = Pattern.compile("(?i)repeat\\(\\s*('(?:[^']|'')*')\\s*,\\s*(\\d+)\\s*\\)");
    private static final Pattern RAW = Pattern.compile("(?i)raw\\(\\s*(0x[0-9a-fA-F]*)\\s*\\)");

    private final CodecRegistry registry;
    private final ProtocolVersion version;

    CqlValues(CodecRegistry registry, ProtocolVersion version) {
        this.registry = requireNonNull(registry, "registry is null");
        this.version = requireNonNull(version, "version is null");
    }

    /** Parses a literal into the Java value of {@code type}; {@code null} for the literal {@code null}. */
    Object parse(DataType type, String literal) {
        Matcher repeat = REPEAT.matcher(literal.strip());
        if (repeat.matches()) {
            String unit = text(repeat.group(1));
            return parse(type, quote(unit.repeat(Integer.parseInt(repeat.group(2)))));
        }
        try {
            return codec(type).parse(literal);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read '" + literal + "' as " + type.asCql(true, true)
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bytes to bind for a literal of a bound-value list: {@code raw(0x..)} verbatim, else encoded. */
    ByteBuffer bindBytes(DataType type, String literal) {
        Matcher raw = RAW.matcher(literal.strip());
        if (raw.matches()) {
            return ByteUtils.fromHexString(raw.group(1));
        }
        return encode(type, parse(type, literal));
    }

    ByteBuffer encode(DataType type, Object value) {
        return codec(type).encode(value, version);
    }

    Object decode(DataType type, ByteBuffer bytes) {
        // The driver's collection codecs decode null as an empty collection; a case must see the difference.
        return bytes == null ? null : codec(type).decode(bytes.duplicate(), version);
    }

    /** Renders raw bytes as a CQL literal ({@code null}, {@code empty}, or the value). */
    String format(DataType type, ByteBuffer bytes) {
        if (bytes == null) {
            return "null";
        }
        if (!bytes.hasRemaining() && !isText(type)) {
            return EMPTY;
        }
        try {
            return codec(type).format(decode(type, bytes));
        } catch (RuntimeException e) {
            return ByteUtils.toHexString(bytes) + " (undecodable as " + type.asCql(true, true) + ")";
        }
    }

    /** Whether an expected literal or matcher matches the raw bytes of an actual value of the given type. */
    boolean matches(DataType type, String expected, ByteBuffer actual) {
        String e = expected.strip();
        if (e.equals(ANY)) {
            return actual != null;
        }
        if (e.equalsIgnoreCase(EMPTY)) {
            return actual != null && !actual.hasRemaining();
        }
        if (e.equalsIgnoreCase("null")) {
            return actual == null;
        }
        if (actual == null) {
            return false;
        }
        Object value;
        try {
            value = decode(type, actual);
        } catch (RuntimeException ex) {
            return false; // not a value of the type the server declared
        }
        Matcher range = RANGE.matcher(e);
        if (range.matches()) {
            if (!(value instanceof Number n)) {
                return false;
            }
            BigDecimal v = new BigDecimal(n.toString());
            return v.compareTo(new BigDecimal(range.group(1))) >= 0 && v.compareTo(new BigDecimal(range.group(2))) <= 0;
        }
        Matcher like = LIKE.matcher(e);
        if (like.matches()) {
            return value instanceof String s && like(text(like.group(1)), s);
        }
        Matcher includes = INCLUDES.matcher(e);
        if (includes.matches()) {
            Object part;
            try {
                part = parse(type, includes.group(1));
            } catch (IllegalArgumentException ex) {
                return false;
            }
            if (part instanceof java.util.Map<?, ?> pm && value instanceof java.util.Map<?, ?> vm) {
                return vm.entrySet().containsAll(pm.entrySet());
            }
            if (part instanceof java.util.Collection<?> pc && value instanceof java.util.Collection<?> vc) {
                return vc.containsAll(pc);
            }
            return false;
        }
        try {
            return Objects.equals(parse(type, e), value);
        } catch (IllegalArgumentException ex) {
            return false; // not even a value of the type the server declared
        }
    }

    /** Whether the type names a column's type as the server declares it, e.g. {@code map<text, int>}. */
    static boolean sameType(String expected, DataType actual) {
        return normalizeType(expected).equals(normalizeType(actual.asCql(true, true)));
    }

    /**
     * A type's CQL form for comparison: lower case, no spaces, varchar as text, and without {@code frozen<>}
     * (the protocol's result metadata does not carry frozenness, so drivers report it inconsistently).
     */
    static String normalizeType(String cql) {
        String s = cql.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", "").replace("varchar", "text");
        int at;
        while ((at = s.indexOf("frozen<")) >= 0) {
            int depth = 0;
            int end = -1;
            for (int i = at + "frozen".length(); i < s.length() && end < 0; i++) {
                if (s.charAt(i) == '<') {
                    depth++;
                } else if (s.charAt(i) == '>' && --depth == 0) {
                    end = i;
                }
            }
            if (end < 0) {
                break; // unbalanced: compare as written
            }
            s = s.substring(0, at) + s.substring(at + "frozen<".length(), end) + s.substring(end + 1);
        }
        return s;
    }

    static boolean like(String pattern, String value) {
        String p = pattern.strip().replaceAll("\\s+", " ");
        String v = value.strip().replaceAll("\\s+", " ");
        StringBuilder regex = new StringBuilder();
        for (String part : p.split("%", -1)) {
            if (regex.length() > 0) {
                regex.append("(?s:.*)");
            }
            regex.append(Pattern.quote(part));
        }
        return v.matches(regex.toString());
    }

    private static boolean isText(DataType type) {
        return List.of(DataTypes.TEXT, DataTypes.ASCII, DataTypes.BLOB).contains(type);
    }

    /** The content of a single-quoted CQL string literal. */
    private static String text(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @SuppressWarnings("unchecked")
    private TypeCodec<Object> codec(DataType type) {
        if (type.equals(DataTypes.TIMESTAMP)) {
            return (TypeCodec<Object>) (TypeCodec<?>) UTC_TIMESTAMP;
        }
        return registry.codecFor(type);
    }
}
