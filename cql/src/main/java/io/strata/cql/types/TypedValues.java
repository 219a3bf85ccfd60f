package io.strata.cql.types;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Serialized values of every CQL type, including collections, tuples and UDTs: validation against a type,
 * Cassandra's canonical form (set elements and map keys sorted by the element type's order, duplicates
 * dropped, as Cassandra re-serializes bound sets and maps), ordering, and tuple/UDT (de)serialization
 * (each component as an int length, -1 for null, then its bytes; no count). Stateless, thread-safe.
 */
public final class TypedValues {
    private TypedValues() {}

    /**
     * Validates {@code value} as a serialization of {@code type} and returns its canonical form (the same
     * array when nothing changes). Nulls inside collections are rejected, as Cassandra does.
     *
     * @throws InvalidValueException naming the problem
     */
    public static byte[] canonical(DataType type, byte[] value) {
        if (type instanceof NativeType nt) {
            Values.validate(nt, value);
            return value;
        }
        if (value.length == 0) {
            return value;
        }
        if (type instanceof CollectionType ct) {
            List<byte[]> parts = CollectionCodec.elements(value, ct.kind() == CollectionType.Kind.MAP);
            for (byte[] p : parts) {
                if (p == null) {
                    throw new InvalidValueException("null is not supported inside collections");
                }
            }
            return switch (ct.kind()) {
                case LIST -> {
                    List<byte[]> out = new ArrayList<>(parts.size());
                    for (byte[] p : parts) {
                        out.add(canonical(ct.keyOrElement(), p));
                    }
                    yield CollectionCodec.list(out);
                }
                case SET -> set(ct.keyOrElement(), parts);
                case MAP -> {
                    List<byte[]> keys = new ArrayList<>();
                    List<byte[]> vals = new ArrayList<>();
                    for (int i = 0; i < parts.size(); i += 2) {
                        keys.add(parts.get(i));
                        vals.add(parts.get(i + 1));
                    }
                    yield map(ct.keyOrElement(), ct.value(), keys, vals);
                }
            };
        }
        List<DataType> types = type instanceof TupleType t ? t.elements() : ((UserType) type).fieldTypes();
        List<byte[]> parts = components(value, types.size());
        List<byte[]> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            byte[] p = parts.get(i);
            out.add(p == null ? null : canonical(types.get(i), p));
        }
        return components(out);
    }

    /** A set of (not yet canonical) elements, sorted and deduplicated. */
    public static byte[] set(DataType element, List<byte[]> elements) {
        TreeMap<byte[], byte[]> sorted = new TreeMap<>(comparator(element));
        for (byte[] e : elements) {
            byte[] c = canonical(element, e);
            sorted.put(c, c);
        }
        return CollectionCodec.list(new ArrayList<>(sorted.keySet()));
    }

    /** A map from parallel key and value lists, sorted by key; a later duplicate key wins, as in a literal. */
    public static byte[] map(DataType keyType, DataType valueType, List<byte[]> keys, List<byte[]> values) {
        TreeMap<byte[], byte[]> sorted = new TreeMap<>(comparator(keyType));
        for (int i = 0; i < keys.size(); i++) {
            sorted.put(canonical(keyType, keys.get(i)), canonical(valueType, values.get(i)));
        }
        Map<byte[], byte[]> ordered = new LinkedHashMap<>(sorted);
        return CollectionCodec.map(ordered);
    }

    /** Cassandra's order of serialized values of {@code type} (byte order of their comparable encoding). */
    public static Comparator<byte[]> comparator(DataType type) {
        return (a, b) -> Arrays.compareUnsigned(sortKey(type, a), sortKey(type, b));
    }

    public static byte[] sortKey(DataType type, byte[] v) {
        return ComparableEncoding.encode(List.of(type), List.of(false), List.of(v));
    }

    /** Serializes tuple or UDT components (null components allowed). */
    public static byte[] components(List<byte[]> parts) {
        int size = 0;
        for (byte[] p : parts) {
            size += 4 + (p == null ? 0 : p.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] p : parts) {
            if (p == null) {
                b.putInt(-1);
            } else {
                b.putInt(p.length).put(p);
            }
        }
        return b.array();
    }

    /**
     * Splits a serialized tuple or UDT into at most {@code max} components; fewer is allowed (missing
     * trailing components are null), as Cassandra accepts.
     */
    public static List<byte[]> components(byte[] value, int max) {
        ByteBuffer b = ByteBuffer.wrap(value);
        List<byte[]> out = new ArrayList<>(max);
        while (b.hasRemaining()) {
            if (out.size() == max) {
                throw new InvalidValueException("Invalid tuple or UDT value: more than " + max + " components");
            }
            if (b.remaining() < 4) {
                throw new InvalidValueException("Not enough bytes to read a tuple or UDT component size");
            }
            int len = b.getInt();
            if (len < 0) {
                out.add(null);
                continue;
            }
            if (b.remaining() < len) {
                throw new InvalidValueException("Not enough bytes to read a tuple or UDT component");
            }
            byte[] p = new byte[len];
            b.get(p);
            out.add(p);
        }
        return out;
    }

    /** Renders a value as CQL text, the way cqlsh and CAST(x AS text) show it. */
    public static String toCql(DataType type, byte[] v) {
        if (v == null) {
            return "null";
        }
        if (type instanceof NativeType nt) {
            return Values.toCqlLiteral(nt, v);
        }
        if (type instanceof CollectionType ct) {
            List<byte[]> parts = CollectionCodec.elements(v, ct.kind() == CollectionType.Kind.MAP);
            StringBuilder sb = new StringBuilder(ct.kind() == CollectionType.Kind.LIST ? "[" : "{");
            for (int i = 0; i < parts.size(); i++) {
                if (ct.kind() == CollectionType.Kind.MAP) {
                    if (i % 2 == 0) {
                        sb.append(i == 0 ? "" : ", ").append(toCql(ct.keyOrElement(), parts.get(i)));
                    } else {
                        sb.append(": ").append(toCql(ct.value(), parts.get(i)));
                    }
                } else {
                    sb.append(i == 0 ? "" : ", ").append(toCql(ct.keyOrElement(), parts.get(i)));
                }
            }
            return sb.append(ct.kind() == CollectionType.Kind.LIST ? "]" : "}").toString();
        }
        if (type instanceof TupleType tt) {
            List<byte[]> parts = components(v, tt.elements().size());
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < parts.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(toCql(tt.elements().get(i), parts.get(i)));
            }
            return sb.append(")").toString();
        }
        UserType ut = (UserType) type;
        List<byte[]> parts = components(v, ut.fieldTypes().size());
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < parts.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(CqlIdentifiers.quoteIfNeeded(ut.fieldNames().get(i))).append(": ")
                    .append(toCql(ut.fieldTypes().get(i), parts.get(i)));
        }
        return sb.append("}").toString();
    }

    /**
     * One element of a serialized collection: a map's value for {@code key}, a list's element at the int index
     * {@code key}, or a set's element equal to {@code key}; null when absent.
     */
    public static byte[] element(CollectionType type, byte[] collection, byte[] key) {
        List<byte[]> parts = CollectionCodec.elements(collection, type.kind() == CollectionType.Kind.MAP);
        switch (type.kind()) {
            case MAP -> {
                for (int i = 0; i < parts.size(); i += 2) {
                    if (Arrays.equals(parts.get(i), key)) {
                        return parts.get(i + 1);
                    }
                }
                return null;
            }
            case LIST -> {
                int idx = ByteBuffer.wrap(key).getInt();
                return idx >= 0 && idx < parts.size() ? parts.get(idx) : null;
            }
            default -> {
                for (byte[] e : parts) {
                    if (Arrays.equals(e, key)) {
                        return e;
                    }
                }
                return null;
            }
        }
    }

    /** Field {@code index} of a serialized UDT (null when null or missing). */
    public static byte[] field(UserType type, byte[] udt, int index) {
        List<byte[]> parts = components(udt, type.fieldNames().size());
        return index < parts.size() ? parts.get(index) : null;
    }

    /** The UTF-8 bytes of a UDT field name: the cell path of a non-frozen UDT field. */
    public static byte[] fieldPath(String field) {
        return field.getBytes(StandardCharsets.UTF_8);
    }
}
