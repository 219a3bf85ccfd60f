package io.strata.cql.types;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-comparable, prefix-free encoding of clustering values: unsigned byte order of the encoding equals
 * Cassandra's order of the values, so the storage engine sorts rows without knowing types. A clustering
 * is the concatenation of its components; each starts with a header byte (0x00 empty value, 0x01 value),
 * and DESC components are bit-inverted whole. Decoding recovers the serialized value, decimals with the
 * scale they were written with (Cassandra compares 1.0 and 1.00 equal; here they are adjacent but distinct
 * clusterings, ordered by scale: a documented difference).
 *
 * <ul>
 *   <li>signed integers, timestamp, time, counter: big-endian with the sign bit flipped</li>
 *   <li>date (already unsigned), boolean: as is</li>
 *   <li>float, double: IEEE bits, sign bit flipped for positives, all bits inverted for negatives</li>
 *   <li>text, ascii, blob, inet: bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x00</li>
 *   <li>varint: sign byte, 4-byte magnitude length, magnitude (all inverted for negatives)</li>
 *   <li>decimal: sign byte, decimal exponent, digit string, then the written scale (inverted for negatives)</li>
 *   <li>uuid: version nibble first; version 1 then orders by timestamp; timeuuid by timestamp, then the
 *       low bytes compared signed, as Cassandra does</li>
 *   <li>frozen collections, tuples, UDTs: element by element (see {@code composite}), as Cassandra compares them</li>
 * </ul>
 * Stateless, thread-safe.
 */
public final class ComparableEncoding {
    private static final int HEADER_EMPTY = 0x00;
    private static final int HEADER_VALUE = 0x01;

    private ComparableEncoding() {}

    /** Encodes the given components (serialized values, none null) of a clustering prefix. */
    public static byte[] encode(List<DataType> types, List<Boolean> descending, List<byte[]> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        for (int i = 0; i < values.size(); i++) {
            int start = out.size();
            encodeComponent(out, types.get(i), values.get(i));
            if (descending.get(i)) {
                byte[] all = out.toByteArray();
                for (int j = start; j < all.length; j++) {
                    all[j] = (byte) ~all[j];
                }
                out.reset();
                out.write(all, 0, all.length);
            }
        }
        return out.toByteArray();
    }

    /** Decodes a full clustering into its serialized component values. */
    public static List<byte[]> decode(List<DataType> types, List<Boolean> descending, byte[] encoded) {
        List<byte[]> result = new ArrayList<>(types.size());
        ByteBuffer in = ByteBuffer.wrap(encoded);
        for (int i = 0; i < types.size() && in.hasRemaining(); i++) {
            boolean desc = descending.get(i);
            ByteBuffer src = desc ? invertedRemaining(in) : in;
            int before = src.position();
            result.add(decodeComponent(src, types.get(i)));
            if (desc) {
                in.position(in.position() + (src.position() - before));
            }
        }
        return result;
    }

    private static ByteBuffer invertedRemaining(ByteBuffer in) {
        byte[] rest = new byte[in.remaining()];
        in.duplicate().get(rest);
        for (int j = 0; j < rest.length; j++) {
            rest[j] = (byte) ~rest[j];
        }
        return ByteBuffer.wrap(rest);
    }

    private static void encodeComponent(ByteArrayOutputStream out, DataType type, byte[] v) {
        if (v.length == 0) {
            out.write(HEADER_EMPTY);
            return;
        }
        out.write(HEADER_VALUE);
        if (!(type instanceof NativeType nt)) {
            composite(out, type, v);
            return;
        }
        switch (nt) {
            case INT, BIGINT, SMALLINT, TINYINT, TIMESTAMP, TIME, COUNTER -> {
                out.write(v[0] ^ 0x80);
                out.write(v, 1, v.length - 1);
            }
            case DATE, BOOLEAN -> out.write(v, 0, v.length);
            case FLOAT, DOUBLE -> {
                boolean negative = (v[0] & 0x80) != 0;
                for (int i = 0; i < v.length; i++) {
                    int b = negative ? ~v[i] : (i == 0 ? v[i] ^ 0x80 : v[i]);
                    out.write(b & 0xff);
                }
            }
            case TEXT, ASCII, BLOB, INET -> escaped(out, v);
            case VARINT -> varint(out, new BigInteger(v));
            case DECIMAL -> decimal(out, Values.decimal(v));
            case UUID -> uuid(out, v, true);
            case TIMEUUID -> uuid(out, v, false);
            case DURATION -> throw new InvalidValueException("duration values cannot be used in a clustering column");
        }
    }

    private static byte[] decodeComponent(ByteBuffer in, DataType type) {
        int header = in.get() & 0xff;
        if (header == HEADER_EMPTY) {
            return new byte[0];
        }
        if (!(type instanceof NativeType nt)) {
            return readComposite(in, type);
        }
        switch (nt) {
            case INT, BIGINT, SMALLINT, TINYINT, TIMESTAMP, TIME, COUNTER -> {
                byte[] v = new byte[nt.fixedLength()];
                in.get(v);
                v[0] ^= (byte) 0x80;
                return v;
            }
            case DATE, BOOLEAN -> {
                byte[] v = new byte[nt.fixedLength()];
                in.get(v);
                return v;
            }
            case FLOAT, DOUBLE -> {
                byte[] v = new byte[nt.fixedLength()];
                in.get(v);
                boolean wasPositive = (v[0] & 0x80) != 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = wasPositive ? (i == 0 ? (byte) (v[i] ^ 0x80) : v[i]) : (byte) ~v[i];
                }
                return v;
            }
            case TEXT, ASCII, BLOB, INET -> {
                return unescaped(in);
            }
            case VARINT -> {
                return readVarint(in).toByteArray();
            }
            case DECIMAL -> {
                return Values.decimal(readDecimal(in));
            }
            case UUID -> {
                return readUuid(in, true);
            }
            case TIMEUUID -> {
                return readUuid(in, false);
            }
            default -> throw new InvalidValueException("cannot decode clustering of type " + nt.cql());
        }
    }

    /**
     * Frozen collections, tuples and UDTs, element by element as Cassandra compares them: lists and sets are
     * their elements each preceded by 0x01 and closed by 0x00 (so a prefix sorts first); maps the same with
     * key then value per entry; tuples and UDTs each component as 0x01 + its encoding, or 0x00 when null or
     * missing (null sorts first).
     */
    private static void composite(ByteArrayOutputStream out, DataType type, byte[] v) {
        if (type instanceof CollectionType ct) {
            boolean map = ct.kind() == CollectionType.Kind.MAP;
            List<byte[]> parts = CollectionCodec.elements(v, map);
            for (int i = 0; i < parts.size(); i += map ? 2 : 1) {
                out.write(0x01);
                encodeComponent(out, ct.keyOrElement(), parts.get(i));
                if (map) {
                    encodeComponent(out, ct.value(), parts.get(i + 1));
                }
            }
            out.write(0x00);
            return;
        }
        List<DataType> types = type instanceof TupleType tt ? tt.elements() : ((UserType) type).fieldTypes();
        List<byte[]> parts = TypedValues.components(v, types.size());
        for (int i = 0; i < types.size(); i++) {
            byte[] part = i < parts.size() ? parts.get(i) : null;
            if (part == null) {
                out.write(0x00);
            } else {
                out.write(0x01);
                encodeComponent(out, types.get(i), part);
            }
        }
    }

    private static byte[] readComposite(ByteBuffer in, DataType type) {
        if (type instanceof CollectionType ct) {
            boolean map = ct.kind() == CollectionType.Kind.MAP;
            List<byte[]> parts = new ArrayList<>();
            while ((in.get() & 0xff) == 0x01) {
                parts.add(decodeComponent(in, ct.keyOrElement()));
                if (map) {
                    parts.add(decodeComponent(in, ct.value()));
                }
            }
            if (!map) {
                return CollectionCodec.list(parts);
            }
            java.util.Map<byte[], byte[]> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < parts.size(); i += 2) {
                m.put(parts.get(i), parts.get(i + 1));
            }
            return CollectionCodec.map(m);
        }
        List<DataType> types = type instanceof TupleType tt ? tt.elements() : ((UserType) type).fieldTypes();
        List<byte[]> parts = new ArrayList<>(types.size());
        for (DataType t : types) {
            parts.add((in.get() & 0xff) == 0x01 ? decodeComponent(in, t) : null);
        }
        return TypedValues.components(parts);
    }

    private static void escaped(ByteArrayOutputStream out, byte[] v) {
        for (byte b : v) {
            out.write(b);
            if (b == 0) {
                out.write(0xff);
            }
        }
        out.write(0);
        out.write(0);
    }

    private static byte[] unescaped(ByteBuffer in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte b = in.get();
            if (b == 0) {
                byte next = in.get();
                if (next == 0) {
                    return out.toByteArray();
                }
                out.write(0);
            } else {
                out.write(b);
            }
        }
    }

    private static void varint(ByteArrayOutputStream out, BigInteger n) {
        int sign = n.signum();
        byte[] mag = n.abs().toByteArray();
        int skip = mag.length > 1 && mag[0] == 0 ? 1 : 0;
        int len = sign == 0 ? 0 : mag.length - skip;
        boolean neg = sign < 0;
        out.write(neg ? 0x00 : 0x01);
        int l = neg ? ~len : len;
        out.write(l >>> 24);
        out.write(l >>> 16);
        out.write(l >>> 8);
        out.write(l);
        for (int i = skip; i < skip + len; i++) {
            out.write(neg ? ~mag[i] : mag[i]);
        }
    }

    private static BigInteger readVarint(ByteBuffer in) {
        boolean neg = in.get() == 0x00;
        int len = in.getInt();
        if (neg) {
            len = ~len;
        }
        byte[] mag = new byte[len];
        in.get(mag);
        if (neg) {
            for (int i = 0; i < len; i++) {
                mag[i] = (byte) ~mag[i];
            }
        }
        BigInteger m = new BigInteger(1, mag);
        return neg ? m.negate() : m;
    }

    private static void decimal(ByteArrayOutputStream out, BigDecimal d) {
        int sign = d.signum();
        if (sign == 0) {
            out.write(0x01);
            scale(out, d.scale(), false);
            return;
        }
        boolean neg = sign < 0;
        BigDecimal norm = d.abs().stripTrailingZeros();
        String digits = norm.unscaledValue().toString();
        int exponent = digits.length() - norm.scale();
        out.write(neg ? 0x00 : 0x02);
        int e = exponent ^ 0x80000000;
        if (neg) {
            e = ~e;
        }
        out.write(e >>> 24);
        out.write(e >>> 16);
        out.write(e >>> 8);
        out.write(e);
        for (int i = 0; i < digits.length(); i++) {
            int c = digits.charAt(i);
            out.write(neg ? ~c : c);
        }
        out.write(neg ? 0xff : 0x00);
        scale(out, d.scale(), neg);
    }

    /**
     * The value's own scale, after its numeric order: equal numbers written with different scales (10 and
     * 10.0) keep both their order and the scale they were written with, which reading gives back.
     */
    private static void scale(ByteArrayOutputStream out, int scale, boolean neg) {
        int e = scale ^ 0x80000000;
        if (neg) {
            e = ~e;
        }
        out.write(e >>> 24);
        out.write(e >>> 16);
        out.write(e >>> 8);
        out.write(e);
    }

    private static int readScale(ByteBuffer in, boolean neg) {
        int e = in.getInt();
        return (neg ? ~e : e) ^ 0x80000000;
    }

    private static BigDecimal readDecimal(ByteBuffer in) {
        int s = in.get();
        if (s == 0x01) {
            return BigDecimal.ZERO.setScale(readScale(in, false));
        }
        boolean neg = s == 0x00;
        int e = in.getInt();
        if (neg) {
            e = ~e;
        }
        int exponent = e ^ 0x80000000;
        StringBuilder digits = new StringBuilder();
        while (true) {
            int c = in.get() & 0xff;
            if (neg) {
                c = ~c & 0xff;
            }
            if (c == 0) {
                break;
            }
            digits.append((char) c);
        }
        BigDecimal unscaled = new BigDecimal(new BigInteger(digits.toString()), digits.length() - exponent);
        BigDecimal value = (neg ? unscaled.negate() : unscaled).setScale(readScale(in, neg));
        return value;
    }

    private static void uuid(ByteArrayOutputStream out, byte[] v, boolean writeVersion) {
        ByteBuffer b = ByteBuffer.wrap(v);
        long msb = b.getLong();
        long lsb = b.getLong();
        int version = (int) ((msb >>> 12) & 0xf);
        if (writeVersion) {
            out.write(version);
        }
        if (version == 1) {
            long ts = ((msb & 0x0fffL) << 48) | (((msb >>> 16) & 0xffffL) << 32) | (msb >>> 32);
            writeLong(out, (ts << 4) | version);
            for (int i = 0; i < 8; i++) {
                out.write(((int) (lsb >>> (56 - 8 * i)) & 0xff) ^ 0x80);
            }
        } else {
            out.write(v, 0, 16);
        }
    }

    private static byte[] readUuid(ByteBuffer in, boolean hasVersion) {
        int version = hasVersion ? in.get() & 0xff : 1;
        if (version != 1) {
            byte[] v = new byte[16];
            in.get(v);
            return v;
        }
        long x = in.getLong();
        long ts = x >>> 4;
        long msb = ((ts & 0xffffffffL) << 32) | (((ts >>> 32) & 0xffffL) << 16) | ((long) (x & 0xf) << 12)
                | ((ts >>> 48) & 0x0fffL);
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            lsb = (lsb << 8) | ((in.get() & 0xff) ^ 0x80);
        }
        return ByteBuffer.allocate(16).putLong(msb).putLong(lsb).array();
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        for (int i = 56; i >= 0; i -= 8) {
            out.write((int) (v >>> i) & 0xff);
        }
    }
}
