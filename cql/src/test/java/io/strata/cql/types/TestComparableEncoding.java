package io.strata.cql.types;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.spi.Bytes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TestComparableEncoding {
    private static final Random RANDOM = new Random(42);

    @Test
    void signedIntegersSortNumerically() {
        checkOrder(NativeType.INT, List.of(Integer.MIN_VALUE, -5, -1, 0, 1, 7, Integer.MAX_VALUE), Values::ofInt, Integer::compare);
        List<Long> longs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            longs.add(RANDOM.nextLong());
        }
        checkOrder(NativeType.BIGINT, longs, Values::ofLong, Long::compare);
    }

    @Test
    void floatsAndDoublesSortLikeJava() {
        List<Double> ds = List.of(Double.NEGATIVE_INFINITY, -1e300, -2.5, -0.0, 0.0, 1e-300, 3.0, Double.POSITIVE_INFINITY, Double.NaN);
        checkOrder(NativeType.DOUBLE, ds, d -> ByteBuffer.allocate(8).putDouble(d).array(), Double::compare);
        List<Float> fs = List.of(-3.5f, -0.0f, 0.0f, 1.25f, Float.MAX_VALUE);
        checkOrder(NativeType.FLOAT, fs, f -> ByteBuffer.allocate(4).putFloat(f).array(), Float::compare);
    }

    @Test
    void textSortsByUtf8BytesAndPrefixesFirst() {
        List<String> ss = List.of("", "a", "a\u0000", "a\u0000b", "ab", "b", "é", "\uD83D\uDE00");
        checkOrder(NativeType.TEXT, ss, Values::ofText,
                (a, b) -> Bytes.compare(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void varintAndDecimalSortNumerically() {
        List<BigInteger> vs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            vs.add(new BigInteger(RANDOM.nextInt(200) + 1, RANDOM).multiply(BigInteger.valueOf(RANDOM.nextBoolean() ? 1 : -1)));
        }
        vs.add(BigInteger.ZERO);
        checkOrder(NativeType.VARINT, vs, BigInteger::toByteArray, BigInteger::compareTo);
        List<BigDecimal> ds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ds.add(new BigDecimal(new BigInteger(RANDOM.nextInt(80) + 1, RANDOM), RANDOM.nextInt(40) - 20)
                    .multiply(BigDecimal.valueOf(RANDOM.nextBoolean() ? 1 : -1)));
        }
        ds.add(BigDecimal.ZERO);
        ds.add(new BigDecimal("0.001"));
        ds.add(new BigDecimal("-0.001"));
        checkOrder(NativeType.DECIMAL, ds, Values::decimal, BigDecimal::compareTo);
    }

    @Test
    void timeuuidsSortByTimestamp() {
        List<UUID> us = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long ts = RANDOM.nextLong() & 0x0fffffffffffffffL;
            long msb = ((ts & 0xffffffffL) << 32) | (((ts >>> 32) & 0xffffL) << 16) | 0x1000L | ((ts >>> 48) & 0x0fffL);
            us.add(new UUID(msb, RANDOM.nextLong()));
        }
        checkOrder(NativeType.TIMEUUID, us, Values::ofUuid, Comparator.comparingLong(UUID::timestamp));
    }

    @Test
    void compositeWithDescendingComponentRoundTrips() {
        List<DataType> types = List.of(NativeType.TEXT, NativeType.INT);
        List<Boolean> desc = List.of(false, true);
        byte[] a = ComparableEncoding.encode(types, desc, List.of(Values.ofText("x"), Values.ofInt(5)));
        byte[] b = ComparableEncoding.encode(types, desc, List.of(Values.ofText("x"), Values.ofInt(9)));
        byte[] c = ComparableEncoding.encode(types, desc, List.of(Values.ofText("y"), Values.ofInt(1)));
        assertThat(Bytes.compare(b, a)).as("DESC int: 9 before 5").isNegative();
        assertThat(Bytes.compare(a, c)).isNegative();
        byte[] prefix = ComparableEncoding.encode(types.subList(0, 1), desc.subList(0, 1), List.of(Values.ofText("x")));
        assertThat(Bytes.startsWith(a, prefix)).isTrue();
        assertThat(Bytes.startsWith(c, prefix)).isFalse();
        List<byte[]> decoded = ComparableEncoding.decode(types, desc, a);
        assertThat(decoded.get(0)).isEqualTo(Values.ofText("x"));
        assertThat(decoded.get(1)).isEqualTo(Values.ofInt(5));
    }

    @Test
    void emptyValuesSortFirstAndRoundTrip() {
        byte[] empty = ComparableEncoding.encode(List.of(NativeType.INT), List.of(false), List.of(new byte[0]));
        byte[] min = ComparableEncoding.encode(List.of(NativeType.INT), List.of(false), List.of(Values.ofInt(Integer.MIN_VALUE)));
        assertThat(Bytes.compare(empty, min)).isNegative();
        assertThat(ComparableEncoding.decode(List.of(NativeType.INT), List.of(false), empty).get(0)).isEmpty();
    }

    private static <T> void checkOrder(NativeType type, List<T> values, Function<T, byte[]> serialize, Comparator<T> order) {
        for (boolean desc : new boolean[] {false, true}) {
            List<T> sorted = new ArrayList<>(values);
            sorted.sort(desc ? order.reversed() : order);
            List<T> byEncoding = new ArrayList<>(values);
            byEncoding.sort((x, y) -> Bytes.compare(enc(type, desc, serialize.apply(x)), enc(type, desc, serialize.apply(y))));
            for (int i = 0; i < sorted.size(); i++) {
                assertThat(order.compare(byEncoding.get(i), sorted.get(i))).as("position %d (desc=%s)", i, desc).isZero();
            }
            for (T v : values) {
                byte[] s = serialize.apply(v);
                byte[] back = ComparableEncoding.decode(List.of(type), List.of(desc), enc(type, desc, s)).get(0);
                if (type == NativeType.DECIMAL) {
                    assertThat(Values.decimal(back)).isEqualByComparingTo(Values.decimal(s));
                } else {
                    assertThat(back).as("round trip of %s", v).isEqualTo(s);
                }
            }
        }
    }

    private static byte[] enc(NativeType type, boolean desc, byte[] v) {
        return ComparableEncoding.encode(List.of(type), List.of(desc), List.of(v));
    }
}
