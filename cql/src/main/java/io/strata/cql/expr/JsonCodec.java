package io.strata.cql.expr;

import io.strata.cql.request.CqlException;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.Durations;
import io.strata.cql.types.InvalidValueException;
import io.strata.cql.types.Literals;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.cql.types.Values;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CQL values to and from JSON as Cassandra 4 defines it (SELECT JSON, INSERT JSON, toJson, fromJson): text,
 * blobs (as {@code "0x..."}), uuids, inets, dates, times, timestamps ({@code "yyyy-MM-dd HH:mm:ss.SSSZ"}, UTC)
 * and durations are JSON strings; numbers and booleans are JSON literals; lists, sets and tuples are arrays;
 * maps and UDTs are objects (map keys as strings). Reading also accepts numbers and booleans written as
 * strings, as Cassandra does. Stateless, thread-safe.
 */
public final class JsonCodec {
    private JsonCodec() {}

    /** The JSON text of a serialized value of {@code type}; {@code null} for a null value. */
    public static String toJson(DataType type, byte[] v) {
        if (v == null) {
            return "null";
        }
        if (type instanceof NativeType nt) {
            return switch (nt) {
                case ASCII, TEXT -> quote(new String(v, StandardCharsets.UTF_8));
                case BLOB -> quote("0x" + HexFormat.of().formatHex(v));
                case BIGINT, COUNTER, INT, SMALLINT, TINYINT, BOOLEAN, DOUBLE, FLOAT, VARINT, DECIMAL ->
                        Values.toCqlLiteral(nt, v);
                case UUID, TIMEUUID, DURATION -> quote(Values.toCqlLiteral(nt, v));
                case TIME -> {
                    long nanos = java.nio.ByteBuffer.wrap(v).getLong(); // always nine fraction digits, as Cassandra
                    yield quote(String.format("%02d:%02d:%02d.%09d", nanos / 3_600_000_000_000L,
                            nanos / 60_000_000_000L % 60, nanos / 1_000_000_000L % 60, nanos % 1_000_000_000L));
                }
                case TIMESTAMP, DATE, INET -> {
                    String lit = Values.toCqlLiteral(nt, v);
                    yield quote(lit.startsWith("'") ? lit.substring(1, lit.length() - 1) : lit);
                }
            };
        }
        if (type instanceof CollectionType ct) {
            List<byte[]> parts = CollectionCodec.elements(v, ct.kind() == CollectionType.Kind.MAP);
            StringBuilder sb = new StringBuilder();
            if (ct.kind() == CollectionType.Kind.MAP) {
                sb.append('{');
                for (int i = 0; i < parts.size(); i += 2) {
                    String key = toJson(ct.keyOrElement(), parts.get(i));
                    sb.append(i == 0 ? "" : ", ").append(key.startsWith("\"") ? key : quote(key)).append(": ")
                            .append(toJson(ct.value(), parts.get(i + 1)));
                }
                return sb.append('}').toString();
            }
            sb.append('[');
            for (int i = 0; i < parts.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(toJson(ct.keyOrElement(), parts.get(i)));
            }
            return sb.append(']').toString();
        }
        if (type instanceof TupleType tt) {
            List<byte[]> parts = TypedValues.components(v, tt.elements().size());
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < tt.elements().size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(toJson(tt.elements().get(i), i < parts.size() ? parts.get(i) : null));
            }
            return sb.append(']').toString();
        }
        UserType ut = (UserType) type;
        List<byte[]> parts = TypedValues.components(v, ut.fieldNames().size());
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ut.fieldNames().size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(jsonName(ut.fieldNames().get(i)))).append(": ")
                    .append(toJson(ut.fieldTypes().get(i), i < parts.size() ? parts.get(i) : null));
        }
        return sb.append('}').toString();
    }

    /** A column or field name as SELECT JSON writes it: case-sensitive names keep their double quotes. */
    public static String jsonName(String name) {
        // as Cassandra's Selection.rowToJson: quoted only when it is not all lower case
        return name.equals(name.toLowerCase(Locale.ROOT)) ? name : "\"" + name + "\"";
    }

    /** One SELECT JSON row: an object of the selected labels and their values. */
    public static String row(List<String> labels, List<DataType> types, List<? extends java.nio.ByteBuffer> values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < labels.size(); i++) {
            java.nio.ByteBuffer b = values.get(i);
            byte[] v = null;
            if (b != null) {
                v = new byte[b.remaining()];
                b.duplicate().get(v);
            }
            sb.append(i == 0 ? "" : ", ").append(quote(jsonName(labels.get(i)))).append(": ").append(toJson(types.get(i), v));
        }
        return sb.append('}').toString();
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    public static JsonValue parse(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (jakarta.json.JsonException e) {
            throw CqlException.invalid("Could not decode JSON string as a map: " + e.getMessage());
        }
    }

    /** A JSON object's entries by column name: unquoted keys are case-insensitive, "\"Quoted\"" keys exact. */
    public static Map<String, JsonValue> columns(JsonValue json) {
        if (!(json instanceof JsonObject o)) {
            throw CqlException.invalid("Could not decode JSON string as a map: not a JSON object");
        }
        Map<String, JsonValue> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            String k = e.getKey();
            String name = k.length() >= 2 && k.startsWith("\"") && k.endsWith("\"")
                    ? k.substring(1, k.length() - 1) : k.toLowerCase(Locale.ROOT);
            out.put(name, e.getValue());
        }
        return out;
    }

    /** The serialized value of {@code type} for a JSON value; null for JSON null. */
    public static byte[] fromJson(DataType type, JsonValue v, String what) {
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        try {
            return decode(type, v, what);
        } catch (InvalidValueException e) {
            throw CqlException.invalid("Error decoding JSON value for " + what + ": " + e.getMessage());
        }
    }

    private static byte[] decode(DataType type, JsonValue v, String what) {
        if (type instanceof NativeType nt) {
            return decodeNative(nt, v, what);
        }
        if (type instanceof CollectionType ct) {
            if (ct.kind() == CollectionType.Kind.MAP) {
                if (!(v instanceof JsonObject o)) {
                    throw bad(type, v, what);
                }
                List<byte[]> keys = new ArrayList<>();
                List<byte[]> values = new ArrayList<>();
                for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                    JsonValue key = ct.keyOrElement() == NativeType.TEXT || ct.keyOrElement() == NativeType.ASCII
                            ? Json.createValue(e.getKey()) : parseKey(e.getKey());
                    keys.add(notNull(fromJson(ct.keyOrElement(), key, what), what));
                    values.add(notNull(fromJson(ct.value(), e.getValue(), what), what));
                }
                return TypedValues.map(ct.keyOrElement(), ct.value(), keys, values);
            }
            if (!(v instanceof JsonArray a)) {
                throw bad(type, v, what);
            }
            List<byte[]> parts = new ArrayList<>();
            for (JsonValue e : a) {
                parts.add(notNull(fromJson(ct.keyOrElement(), e, what), what));
            }
            return ct.kind() == CollectionType.Kind.SET ? TypedValues.set(ct.keyOrElement(), parts) : CollectionCodec.list(parts);
        }
        if (type instanceof TupleType tt) {
            if (!(v instanceof JsonArray a) || a.size() > tt.elements().size()) {
                throw bad(type, v, what);
            }
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                parts.add(fromJson(tt.elements().get(i), a.get(i), what));
            }
            return TypedValues.components(parts);
        }
        UserType ut = (UserType) type;
        if (!(v instanceof JsonObject o)) {
            throw bad(type, v, what);
        }
        Map<String, JsonValue> fields = columns(o);
        for (String f : fields.keySet()) {
            if (!ut.fieldNames().contains(f)) {
                throw CqlException.invalid("JSON object for " + what + " contains unrecognized field: " + f);
            }
        }
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < ut.fieldNames().size(); i++) {
            parts.add(fromJson(ut.fieldTypes().get(i), fields.get(ut.fieldNames().get(i)), what));
        }
        return TypedValues.components(parts);
    }

    private static JsonValue parseKey(String key) {
        try (var reader = Json.createReader(new StringReader(key))) {
            return reader.readValue();
        } catch (RuntimeException notJson) {
            return Json.createValue(key); // e.g. a uuid or date key, given as plain text
        }
    }

    private static byte[] notNull(byte[] v, String what) {
        if (v == null) {
            throw CqlException.invalid("null is not supported inside collections (" + what + ")");
        }
        return v;
    }

    private static byte[] decodeNative(NativeType t, JsonValue v, String what) {
        switch (t) {
            case ASCII, TEXT -> {
                if (!(v instanceof JsonString s)) {
                    throw bad(t, v, what);
                }
                return Literals.parse(t, Literals.Kind.STRING, s.getString());
            }
            case BOOLEAN -> {
                if (v == JsonValue.TRUE || v == JsonValue.FALSE) {
                    return Literals.parse(t, Literals.Kind.BOOLEAN, v.toString());
                }
                if (v instanceof JsonString s && (s.getString().equalsIgnoreCase("true") || s.getString().equalsIgnoreCase("false"))) {
                    return Literals.parse(t, Literals.Kind.BOOLEAN, s.getString());
                }
                throw bad(t, v, what);
            }
            case BIGINT, COUNTER, INT, SMALLINT, TINYINT, VARINT, DOUBLE, FLOAT, DECIMAL -> {
                String text = v instanceof JsonNumber n ? n.toString() : v instanceof JsonString s ? s.getString() : null;
                if (text == null) {
                    throw bad(t, v, what);
                }
                boolean integral = text.matches("-?\\d+");
                if (!integral && !text.matches("-?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|-?NaN|-?Infinity")) {
                    throw new InvalidValueException("Unable to make " + javaName(t) + " from '" + text + "'");
                }
                return Literals.parse(t, integral ? Literals.Kind.INTEGER : Literals.Kind.FLOAT, text);
            }
            case BLOB -> {
                if (!(v instanceof JsonString s) || !s.getString().startsWith("0x")) {
                    throw CqlException.invalid("Error decoding JSON value for " + what + ": Value '" + v
                            + "' is not a valid blob representation: String representation of blob is missing 0x prefix");
                }
                return Literals.parse(t, Literals.Kind.HEX, s.getString());
            }
            case UUID, TIMEUUID -> {
                if (!(v instanceof JsonString s)) {
                    throw bad(t, v, what);
                }
                return Literals.parse(t, Literals.Kind.UUID, s.getString());
            }
            case DURATION -> {
                if (!(v instanceof JsonString s)) {
                    throw bad(t, v, what);
                }
                return Durations.parse(s.getString());
            }
            default -> {
                // timestamp, date, time: a string, or a number (millis, days, nanos); inet: a string
                if (v instanceof JsonString s) {
                    return Literals.parse(t, Literals.Kind.STRING, s.getString());
                }
                if (v instanceof JsonNumber n && t != NativeType.INET) {
                    if (t == NativeType.TIMESTAMP && n.isIntegral() && n.bigIntegerValue().bitLength() < 32) {
                        // As Cassandra: its JSON parser reads such a number as an Integer, which a timestamp refuses.
                        throw new InvalidValueException("Expected a long or a datestring representation of a timestamp "
                                + "value, but got a Integer: " + n);
                    }
                    return Literals.parse(t, Literals.Kind.INTEGER, n.toString());
                }
                throw bad(t, v, what);
            }
        }
    }

    /** The Java type name Cassandra's number parsing errors use. */
    private static String javaName(NativeType t) {
        return switch (t) {
            case BIGINT, COUNTER -> "long";
            case SMALLINT -> "short";
            case TINYINT -> "byte";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case DECIMAL -> "BigDecimal";
            default -> "int";
        };
    }

    private static CqlException bad(DataType t, JsonValue v, String what) {
        return CqlException.invalid("Error decoding JSON value for " + what + ": Expected a " + t.cql()
                + " value, but got " + v.getValueType().name().toLowerCase(Locale.ROOT) + ": " + v);
    }
}
