package io.strata.cql.system;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.Values;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.types.ComparableEncoding;
import io.strata.storage.spi.Murmur3;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A read-only table computed on demand (system.local, system_schema.*): its definition as ordinary
 * {@link TableMetadata} (so it also appears in system_schema) and its rows as serialized values in
 * column order. Immutable.
 */
public record VirtualTable(TableMetadata metadata, List<List<byte[]>> rows) {
    public VirtualTable {
        requireNonNull(metadata, "metadata is null");
        rows = List.copyOf(rows);
    }

    /**
     * Builds a system table definition; columns are given in the order Cassandra's {@code SELECT *} returns
     * them (partition key, clustering, then the rest by name), which is also the order of row values.
     */
    static TableMetadata define(String keyspace, String name, String comment, Map<String, Object> options,
            int partitionKeyCount, int clusteringCount, Object... nameTypePairs) {
        List<ColumnMetadata> cols = new ArrayList<>();
        for (int i = 0, idx = 0; i < nameTypePairs.length; i += 2, idx++) {
            String col = (String) nameTypePairs[i];
            DataType type = (DataType) nameTypePairs[i + 1];
            ColumnMetadata.Kind kind = idx < partitionKeyCount ? ColumnMetadata.Kind.PARTITION_KEY
                    : idx < partitionKeyCount + clusteringCount ? ColumnMetadata.Kind.CLUSTERING : ColumnMetadata.Kind.REGULAR;
            int position = kind == ColumnMetadata.Kind.PARTITION_KEY ? idx
                    : kind == ColumnMetadata.Kind.CLUSTERING ? idx - partitionKeyCount : -1;
            cols.add(new ColumnMetadata(col, type, kind, position, false));
        }
        UUID id = UUID.nameUUIDFromBytes((keyspace + "." + name).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> all = new LinkedHashMap<>(options);
        all.put("comment", comment);
        TableMetadata t = new TableMetadata(keyspace, name, id, cols, all);
        if (!t.columns().equals(cols)) {
            throw new IllegalStateException(keyspace + "." + name + ": columns must be declared in SELECT * order");
        }
        return t;
    }

    /**
     * Sorts rows as Cassandra returns a whole table: partitions by token (Murmur3 of the serialized
     * partition key), rows of a partition by clustering (the columns' order, byte-comparable encoding).
     */
    static List<List<byte[]>> inCassandraOrder(TableMetadata def, List<List<byte[]>> rows) {
        int pk = def.partitionKey().size();
        int ck = def.clustering().size();
        List<Object[]> keyed = new ArrayList<>(rows.size());
        for (List<byte[]> r : rows) {
            List<byte[]> key = r.subList(0, pk);
            long token = Murmur3.token(pk == 1 ? key.get(0) : PartitionKeys.serialize(key));
            byte[] clustering = ck == 0 ? new byte[0]
                    : ComparableEncoding.encode(def.clusteringTypes(), def.clusteringDescending(), r.subList(pk, pk + ck));
            keyed.add(new Object[] {token, clustering, r});
        }
        keyed.sort(Comparator.<Object[]>comparingLong(k -> (Long) k[0])
                .thenComparing(k -> (byte[]) k[1], Arrays::compareUnsigned));
        List<List<byte[]>> out = new ArrayList<>(rows.size());
        for (Object[] k : keyed) {
            @SuppressWarnings("unchecked")
            List<byte[]> r = (List<byte[]>) k[2];
            out.add(r);
        }
        return out;
    }

    /** Serializes a Java value for a virtual-table column (text, boolean, int, bigint, double, uuid, inet, maps/sets/lists of text, blob). */
    static byte[] value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return Values.ofText(s);
        }
        if (v instanceof Boolean b) {
            return Values.ofBoolean(b);
        }
        if (v instanceof Integer i) {
            return Values.ofInt(i);
        }
        if (v instanceof Long l) {
            return Values.ofLong(l);
        }
        if (v instanceof Double d) {
            return ByteBuffer.allocate(8).putDouble(d).array();
        }
        if (v instanceof UUID u) {
            return Values.ofUuid(u);
        }
        if (v instanceof java.time.Instant i) {
            return Values.ofLong(i.toEpochMilli());
        }
        if (v instanceof InetAddress a) {
            return a.getAddress();
        }
        if (v instanceof byte[] bytes) {
            return bytes;
        }
        if (v instanceof Map<?, ?> m) {
            Map<byte[], byte[]> entries = new LinkedHashMap<>();
            m.forEach((k, val) -> entries.put(value(k), value(val)));
            return CollectionCodec.map(entries);
        }
        if (v instanceof java.util.Collection<?> c) {
            List<byte[]> els = new ArrayList<>();
            for (Object o : c) {
                els.add(value(o));
            }
            return CollectionCodec.list(els);
        }
        throw new IllegalArgumentException("unsupported virtual value " + v.getClass());
    }

    static List<byte[]> row(Object... values) {
        List<byte[]> r = new ArrayList<>(values.length);
        for (Object o : values) {
            r.add(value(o));
        }
        return r;
    }
}
