package io.strata.cql.expr;

import io.strata.cql.request.CqlException;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cassandra's native scalar functions ({@code system.*}): now(), uuid(), the current-time functions, the
 * time conversions (toTimestamp, toDate, toUnixTimestamp, minTimeuuid, maxTimeuuid, dateOf,
 * unixTimestampOf) and the blob conversions (blobAsX, XAsBlob) for every native type. A null argument
 * gives a null result, as in Cassandra. Stateless, thread-safe.
 */
public final class Functions {
    /** Evaluates a function on serialized arguments. */
    @FunctionalInterface
    public interface Impl {
        byte[] apply(List<byte[]> args, EvalContext ctx);
    }

    /** One overload: name (lower case), argument types, result type; {@code pure} when it depends only on its arguments. */
    public record Scalar(String name, List<DataType> argTypes, DataType returnType, boolean pure, Impl impl) {
        public byte[] call(List<byte[]> args, EvalContext ctx) {
            for (byte[] a : args) {
                if (a == null) {
                    return null;
                }
            }
            return impl.apply(args, ctx);
        }

        public String signature() {
            return "system." + name;
        }
    }

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final long UUID_EPOCH_OFFSET = 0x01b21dd213814000L;
    private static final long MIN_CLOCK_SEQ_AND_NODE = 0x8080808080808080L;
    private static final long MAX_CLOCK_SEQ_AND_NODE = 0x7f7f7f7f7f7f7f7fL;

    private static final Map<String, List<Scalar>> BY_NAME = new ConcurrentHashMap<>();

    static {
        NativeType ts = NativeType.TIMESTAMP;
        NativeType tu = NativeType.TIMEUUID;
        NativeType date = NativeType.DATE;
        add("now", List.of(), tu, false, (a, c) -> Values.ofUuid(c.timeUuids().next()));
        add("currenttimeuuid", List.of(), tu, false, (a, c) -> Values.ofUuid(c.timeUuids().next()));
        add("uuid", List.of(), NativeType.UUID, false, (a, c) -> Values.ofUuid(UUID.randomUUID()));
        add("currenttimestamp", List.of(), ts, false, (a, c) -> Values.ofLong(c.nowMillis()));
        add("currentdate", List.of(), date, false, (a, c) -> dateOf(c.nowMillis()));
        add("currenttime", List.of(), NativeType.TIME, false,
                (a, c) -> Values.ofLong(Math.floorMod(c.nowMillis(), MILLIS_PER_DAY) * 1_000_000L));
        add("totimestamp", List.of(tu), ts, true, (a, c) -> Values.ofLong(timeUuidMillis(a.get(0))));
        add("totimestamp", List.of(date), ts, true, (a, c) -> Values.ofLong(dateMillis(a.get(0))));
        add("dateof", List.of(tu), ts, true, (a, c) -> Values.ofLong(timeUuidMillis(a.get(0))));
        add("todate", List.of(tu), date, true, (a, c) -> dateOf(timeUuidMillis(a.get(0))));
        add("todate", List.of(ts), date, true, (a, c) -> dateOf(ByteBuffer.wrap(a.get(0)).getLong()));
        add("tounixtimestamp", List.of(tu), NativeType.BIGINT, true, (a, c) -> Values.ofLong(timeUuidMillis(a.get(0))));
        add("tounixtimestamp", List.of(ts), NativeType.BIGINT, true, (a, c) -> a.get(0));
        add("tounixtimestamp", List.of(date), NativeType.BIGINT, true, (a, c) -> Values.ofLong(dateMillis(a.get(0))));
        add("unixtimestampof", List.of(tu), NativeType.BIGINT, true, (a, c) -> Values.ofLong(timeUuidMillis(a.get(0))));
        add("mintimeuuid", List.of(ts), tu, true,
                (a, c) -> Values.ofUuid(timeUuid(ByteBuffer.wrap(a.get(0)).getLong(), 0, MIN_CLOCK_SEQ_AND_NODE)));
        add("maxtimeuuid", List.of(ts), tu, true,
                (a, c) -> Values.ofUuid(timeUuid(ByteBuffer.wrap(a.get(0)).getLong(), 9_999, MAX_CLOCK_SEQ_AND_NODE)));
        for (NativeType t : NativeType.values()) {
            if (t == NativeType.COUNTER || t == NativeType.BLOB) {
                continue;
            }
            String n = t.cql();
            add(n + "asblob", List.of(t), NativeType.BLOB, true, (a, c) -> a.get(0));
            add("blobas" + n, List.of(NativeType.BLOB), t, true, (a, c) -> {
                try {
                    Values.validate(t, a.get(0));
                } catch (io.strata.cql.types.InvalidValueException e) {
                    throw CqlException.invalid("In call to function system.blobas" + n + ", value 0x"
                            + java.util.HexFormat.of().formatHex(a.get(0)) + " is not a valid binary representation for type "
                            + n);
                }
                return a.get(0);
            });
        }
        add("varcharasblob", List.of(NativeType.TEXT), NativeType.BLOB, true, (a, c) -> a.get(0));
        add("blobasvarchar", List.of(NativeType.BLOB), NativeType.TEXT, true, (a, c) -> {
            Values.validate(NativeType.TEXT, a.get(0));
            return a.get(0);
        });
    }

    private Functions() {}

    private static void add(String name, List<DataType> args, DataType ret, boolean pure, Impl impl) {
        BY_NAME.computeIfAbsent(name, k -> new ArrayList<>()).add(new Scalar(name, args, ret, pure, impl));
    }

    /** All overloads of a (case-insensitive) name, empty if unknown. */
    public static List<Scalar> overloads(String name) {
        return BY_NAME.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The overload whose argument types are exactly {@code argTypes}. */
    public static Scalar resolve(String name, List<DataType> argTypes) {
        List<Scalar> candidates = overloads(name);
        if (candidates.isEmpty()) {
            throw CqlException.invalid("Unknown function '" + name + "'");
        }
        for (Scalar s : candidates) {
            if (s.argTypes().equals(argTypes)) {
                return s;
            }
        }
        throw CqlException.invalid("Invalid call to function " + name + ", none of its type signatures match (known type "
                + "signatures: " + candidates.stream().map(s -> s.signature() + s.argTypes().stream().map(DataType::cql)
                        .toList().toString().replace('[', '(').replace(']', ')') + " -> " + s.returnType().cql()).toList()
                + ")");
    }

    public static long timeUuidMillis(byte[] v) {
        long msb = ByteBuffer.wrap(v).getLong();
        long ticks = ((msb & 0x0fffL) << 48) | (((msb >>> 16) & 0xffffL) << 32) | (msb >>> 32);
        return Math.floorDiv(ticks - UUID_EPOCH_OFFSET, 10_000L);
    }

    public static UUID timeUuid(long millis, long extraTicks, long lsb) {
        long t = millis * 10_000 + UUID_EPOCH_OFFSET + extraTicks;
        long msb = (t << 32) | ((t >>> 16) & 0xffff0000L) | 0x1000L | ((t >>> 48) & 0x0fffL);
        return new UUID(msb, lsb);
    }

    private static long dateMillis(byte[] v) {
        long days = (ByteBuffer.wrap(v).getInt() & 0xffffffffL) - Values.DATE_EPOCH_OFFSET;
        return days * MILLIS_PER_DAY;
    }

    private static byte[] dateOf(long millis) {
        long days = Math.floorDiv(millis, MILLIS_PER_DAY) + Values.DATE_EPOCH_OFFSET;
        return Values.ofInt((int) days);
    }
}
