package io.strata.cql.expr;

import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Row;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads column values out of reconciled rows: a simple column is its one cell; a non-frozen collection or
 * UDT is assembled from its element cells into the serialized value a driver expects (sets and maps in
 * element order, lists in element-time order, UDT fields in declared order). An empty multi-cell value is
 * null, as in Cassandra. Stateless, thread-safe.
 */
public final class Cells {
    private Cells() {}

    /** The serialized value of {@code column} in {@code row}, or null. */
    public static byte[] value(Row row, String column, DataType type) {
        if (row == null) {
            return null;
        }
        if (type.isFrozen()) {
            Cell c = simple(row, column);
            return c == null ? null : c.value();
        }
        List<Cell> elements = elements(row, column, type);
        if (elements.isEmpty()) {
            return null;
        }
        if (type instanceof UserType ut) {
            Map<String, byte[]> byField = new LinkedHashMap<>();
            for (Cell c : elements) {
                byField.put(new String(c.path(), StandardCharsets.UTF_8), c.value());
            }
            List<byte[]> fields = new ArrayList<>(ut.fieldNames().size());
            for (String f : ut.fieldNames()) {
                fields.add(byField.get(f));
            }
            return TypedValues.components(fields);
        }
        CollectionType ct = (CollectionType) type;
        List<byte[]> parts = new ArrayList<>(elements.size() * 2);
        for (Cell c : elements) {
            switch (ct.kind()) {
                case LIST -> parts.add(c.value());
                case SET -> parts.add(c.path());
                case MAP -> {
                    parts.add(c.path());
                    parts.add(c.value());
                }
            }
        }
        if (ct.kind() != CollectionType.Kind.MAP) {
            return CollectionCodec.list(parts);
        }
        Map<byte[], byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i += 2) {
            m.put(parts.get(i), parts.get(i + 1));
        }
        return CollectionCodec.map(m);
    }

    /** The cell of a simple (single-cell) column, or null. */
    public static Cell simple(Row row, String column) {
        if (row == null) {
            return null;
        }
        for (Cell cell : row.cells()) {
            if (cell.column().equals(column) && cell.path() == null) {
                return cell;
            }
        }
        return null;
    }

    /** The element cells of a multi-cell column, in the type's order (lists: by element time). */
    public static List<Cell> elements(Row row, String column, DataType type) {
        List<Cell> out = new ArrayList<>();
        if (row == null) {
            return out;
        }
        for (Cell cell : row.cells()) {
            if (cell.column().equals(column) && cell.path() != null) {
                out.add(cell);
            }
        }
        if (type instanceof CollectionType ct) {
            DataType pathType = ct.kind() == CollectionType.Kind.LIST ? NativeType.TIMEUUID : ct.keyOrElement();
            Comparator<byte[]> order = TypedValues.comparator(pathType);
            out.sort((a, b) -> order.compare(a.path(), b.path()));
        }
        return out;
    }
}
