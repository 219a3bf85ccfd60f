package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.oss.driver.internal.core.type.codec.TimestampCodec;
import java.nio.ByteBuffer;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Converts between CQL literals (as written in case files) and the driver's Java values, through the
 * driver's own codecs, so that expected and actual values are compared as values ({@code 1.5e3} equals
 * {@code 1500.0}; {@code '2000-01-01 00:00:00+0000'} equals {@code '2000-01-01T00:00:00.000Z'}). Timestamps
 * are formatted in UTC so that messages do not depend on the machine's zone. Thread-safe.
 */
final class CqlValues {
    /** In expected rows: any non-null value (for server-generated values such as now()). */
    static final String ANY = "_";

    private static final TypeCodec<java.time.Instant> UTC_TIMESTAMP = new TimestampCodec(ZoneOffset.UTC);

    private final CodecRegistry registry;
    private final ProtocolVersion version;

    CqlValues(CodecRegistry registry, ProtocolVersion version) {
        this.registry = requireNonNull(registry, "registry is null");
        this.version = requireNonNull(version, "version is null");
    }

    /** Parses a literal into the Java value of {@code type}; {@code null} for the literal {@code null}. */
    Object parse(DataType type, String literal) {
        try {
            return codec(type).parse(literal);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read '" + literal + "' as " + type.asCql(true, true)
                    + ": " + e.getMessage(), e);
        }
    }

    ByteBuffer encode(DataType type, Object value) {
        return codec(type).encode(value, version);
    }

    Object decode(DataType type, ByteBuffer bytes) {
        // The driver's collection codecs decode null as an empty collection; a case must see the difference.
        return bytes == null ? null : codec(type).decode(bytes, version);
    }

    /** Renders a value as a CQL literal ({@code null} as NULL). */
    String format(DataType type, Object value) {
        return codec(type).format(value);
    }

    /** Whether an expected literal matches an actual value of the given type. */
    boolean matches(DataType type, String expected, Object actual) {
        if (expected.equals(ANY)) {
            return actual != null;
        }
        try {
            return Objects.equals(parse(type, expected), actual);
        } catch (IllegalArgumentException e) {
            return false; // not even a value of the type the server declared
        }
    }

    @SuppressWarnings("unchecked")
    private TypeCodec<Object> codec(DataType type) {
        if (type.equals(DataTypes.TIMESTAMP)) {
            return (TypeCodec<Object>) (TypeCodec<?>) UTC_TIMESTAMP;
        }
        return registry.codecFor(type);
    }
}
