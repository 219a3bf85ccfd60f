package io.strata.cql.capacity;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.UserType;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Row;
import java.math.BigInteger;
import java.util.List;

/**
 * Amazon Keyspaces' encoded size of a row, the size its capacity units are computed from (docs/capacity.md):
 * <ul>
 *   <li>partition key column: its value twice + 1 column-id byte + 3 bytes of metadata;
 *   <li>clustering column: its value twice + 1 byte per started 5 bytes of value (20%) + the column id;
 *   <li>regular or static cell: its value + the column id; a collection or non-frozen UDT column: the column id
 *       + 3 bytes + for each element its value(s) + 1 byte;
 *   <li>client-side timestamps (always on in Strata): 20 bytes per cell or collection element written;
 *   <li>TTL: 8 bytes per cell or element that expires, and 8 bytes per row that has any;
 *   <li>storage adds {@value #STORAGE_ROW_BYTES} bytes per row (static data: {@value #STORAGE_STATIC_BYTES}),
 *       counted for storage only, never for throughput.
 * </ul>
 * Values: text is its UTF-8 bytes; int, bigint, smallint, tinyint, varint and counter 1 byte per two significant
 * decimal digits (leading and trailing zeros trimmed) + 1; boolean and null 1 byte; blob and every other type
 * its serialized length. The column id is 1 byte per started 62 columns of the table. Stateless.
 */
final class RowSize {
    static final int PARTITION_KEY_METADATA = 3;
    static final int COLLECTION_METADATA = 3;
    static final int ELEMENT_METADATA = 1;
    /** The low end of the documented 20–40 B: the only figure the docs' worked example (20 columns, +400 B) gives. */
    static final int CLIENT_TIMESTAMP_BYTES = 20;
    static final int TTL_BYTES = 8;
    static final int STORAGE_ROW_BYTES = 100;
    static final int STORAGE_STATIC_BYTES = 104;
    static final int COLUMNS_PER_ID_BYTE = 62;

    private RowSize() {}

    /** Bytes of the column identifier stored with each value: 1 for 1–62 columns, 2 for 63–124, and so on. */
    static int columnIdBytes(TableMetadata t) {
        int n = t.columns().size();
        return Math.max(1, (n + COLUMNS_PER_ID_BYTE - 1) / COLUMNS_PER_ID_BYTE);
    }

    /** The partition key columns' encoded size: each value stored twice, its column id and 3 bytes of metadata. */
    static long partitionKey(TableMetadata t, List<byte[]> pk) {
        int id = columnIdBytes(t);
        long n = 0;
        List<ColumnMetadata> cols = t.partitionKey();
        for (int i = 0; i < pk.size() && i < cols.size(); i++) {
            n += 2 * value(cols.get(i).type(), pk.get(i)) + id + PARTITION_KEY_METADATA;
        }
        return n;
    }

    /** The clustering columns' encoded size: each value twice, 20% of it (rounded up) as metadata, its column id. */
    static long clustering(TableMetadata t, List<byte[]> ck) {
        int id = columnIdBytes(t);
        long n = 0;
        List<ColumnMetadata> cols = t.clustering();
        for (int i = 0; i < ck.size() && i < cols.size(); i++) {
            long v = value(cols.get(i).type(), ck.get(i));
            n += 2 * v + (v + 4) / 5 + id;
        }
        return n;
    }

    /**
     * The throughput size of a row (or of the static row, with {@code ck} empty): its key columns and the cells it
     * carries (written, or read).
     */
    static long row(TableMetadata t, List<byte[]> pk, List<byte[]> ck, Row row) {
        return row(t, pk, ck, row, true);
    }

    /** As {@link #row(TableMetadata, List, List, Row)}, with or without client-side timestamps (the docs' examples). */
    static long row(TableMetadata t, List<byte[]> pk, List<byte[]> ck, Row row, boolean clientTimestamps) {
        long n = partitionKey(t, pk) + clustering(t, ck);
        if (row != null) {
            n += cells(t, row, clientTimestamps);
            if (row.liveness().ttl() > 0 || hasExpiringCell(row)) {
                n += TTL_BYTES;
            }
        }
        return n;
    }

    /** What storing the row adds to its throughput size. */
    static long storageOverhead(boolean isStatic) {
        return isStatic ? STORAGE_STATIC_BYTES : STORAGE_ROW_BYTES;
    }

    static boolean hasExpiringCell(Row row) {
        for (Cell c : row.cells()) {
            if (c.ttl() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The regular or static cells of a row; cells of one column are adjacent (a row's cells are sorted). */
    static long cells(TableMetadata t, Row row, boolean clientTimestamps) {
        int id = columnIdBytes(t);
        long n = 0;
        String complexColumn = null;
        for (Cell c : row.cells()) {
            ColumnMetadata col = t.column(c.column());
            DataType type = col == null ? NativeType.BLOB : col.type();
            if (c.path() == null) {
                complexColumn = null;
                n += value(type, c.value()) + id;
            } else {
                if (!c.column().equals(complexColumn)) {
                    complexColumn = c.column();
                    n += id + COLLECTION_METADATA;
                }
                n += element(type, c) + ELEMENT_METADATA;
            }
            if (clientTimestamps) {
                n += CLIENT_TIMESTAMP_BYTES;
            }
            if (c.ttl() > 0) {
                n += TTL_BYTES;
            }
        }
        return n;
    }

    /** One element of a non-frozen collection or UDT: a list's value, a set's element, a map's key and value. */
    private static long element(DataType type, Cell c) {
        if (type instanceof CollectionType ct) {
            return switch (ct.kind()) {
                case LIST -> value(ct.keyOrElement(), c.value());
                case SET -> value(ct.keyOrElement(), c.path());
                case MAP -> value(ct.keyOrElement(), c.path()) + value(ct.value(), c.value());
            };
        }
        if (type instanceof UserType ut) {
            // a field-name id (1 byte up to 62 fields, as column ids) and the field's value as serialized
            int fieldId = Math.max(1, (ut.fieldNames().size() + COLUMNS_PER_ID_BYTE - 1) / COLUMNS_PER_ID_BYTE);
            return fieldId + (c.value() == null ? 1 : c.value().length);
        }
        return c.value() == null ? 1 : c.value().length;
    }

    /** The encoded size of one value of {@code type}; null (a tombstone) is 1 byte. */
    static long value(DataType type, byte[] v) {
        if (v == null) {
            return 1;
        }
        if (type instanceof NativeType nt) {
            switch (nt) {
                case BOOLEAN:
                    return 1;
                case INT:
                case BIGINT:
                case SMALLINT:
                case TINYINT:
                case COUNTER:
                case VARINT:
                    return v.length == 0 ? 1 : (significantDigits(v) + 1) / 2 + 1;
                default:
                    return v.length;
            }
        }
        return v.length; // frozen collections, tuples and UDTs: their serialized form
    }

    /** Decimal significant digits of a big-endian two's-complement integer, leading and trailing zeros trimmed. */
    static int significantDigits(byte[] v) {
        if (v.length <= 8) {
            long x = v[0]; // sign-extends
            for (int i = 1; i < v.length; i++) {
                x = (x << 8) | (v[i] & 0xFF);
            }
            if (x == 0) {
                return 1;
            }
            while (x % 10 == 0) {
                x /= 10;
            }
            int d = 0;
            while (x != 0) {
                x /= 10;
                d++;
            }
            return d;
        }
        String s = new BigInteger(v).abs().toString();
        int end = s.length();
        while (end > 1 && s.charAt(end - 1) == '0') {
            end--;
        }
        return end;
    }
}
