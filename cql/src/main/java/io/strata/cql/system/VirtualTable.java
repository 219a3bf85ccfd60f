package io.strata.cql.system;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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

    /** Builds a virtual table definition; columns are given in order: partition key, clustering, rest. */
    static TableMetadata define(String keyspace, String name, int partitionKeyCount, int clusteringCount, Object... nameTypePairs) {
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
        UUID id = UUID.nameUUIDFromBytes((keyspace + "." + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("comment", "");
        return new TableMetadata(keyspace, name, id, cols, options);
    }

    static final DataType TEXT = NativeType.TEXT;
    static final DataType MAP_TEXT_TEXT = new CollectionType(CollectionType.Kind.MAP, NativeType.TEXT, NativeType.TEXT, true);
    static final DataType MAP_TEXT_BLOB = new CollectionType(CollectionType.Kind.MAP, NativeType.TEXT, NativeType.BLOB, true);
    static final DataType SET_TEXT = new CollectionType(CollectionType.Kind.SET, NativeType.TEXT, null, true);
    static final DataType LIST_TEXT = new CollectionType(CollectionType.Kind.LIST, NativeType.TEXT, null, true);

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
