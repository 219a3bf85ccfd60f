package io.strata.cql.schema;

import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Binary form of a tenant's {@link Schema}, stored as a catalog document. Versioned by a leading format
 * byte so later releases can read what earlier ones wrote. Stateless, thread-safe.
 */
public final class SchemaCodec {
    /**
     * 3 appends the schema history (table incarnations and their versions, {@link SchemaHistory}); 2 adds dropped
     * columns; 1 kept them as "strata.dropped.<name>" options (read and converted). Older formats decode with an
     * empty history.
     */
    private static final int FORMAT = 3;
    private static final String LEGACY_DROPPED_PREFIX = "strata.dropped.";

    private SchemaCodec() {}

    public static byte[] encode(Schema schema) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            writeUuid(out, schema.schemaVersion());
            out.writeInt(schema.keyspaces().size());
            for (KeyspaceMetadata ks : schema.keyspaces().values()) {
                out.writeUTF(ks.name());
                writeStringMap(out, ks.replication());
                out.writeBoolean(ks.durableWrites());
                out.writeInt(ks.types().size());
                for (UserType t : ks.types().values()) {
                    writeType(out, t);
                }
                out.writeInt(ks.tables().size());
                for (TableMetadata t : ks.tables().values()) {
                    writeTable(out, t);
                }
            }
            writeHistory(out, schema.history());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Schema decode(long version, byte[] content) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(content));
            int format = in.readUnsignedByte();
            if (format < 1 || format > FORMAT) {
                throw new IllegalStateException("unknown schema format " + format);
            }
            UUID schemaVersion = readUuid(in);
            int nks = in.readInt();
            Map<String, KeyspaceMetadata> keyspaces = new LinkedHashMap<>();
            for (int i = 0; i < nks; i++) {
                String name = in.readUTF();
                Map<String, String> replication = readStringMap(in);
                boolean durable = in.readBoolean();
                int ntypes = in.readInt();
                Map<String, UserType> types = new LinkedHashMap<>();
                for (int j = 0; j < ntypes; j++) {
                    UserType t = (UserType) readType(in);
                    types.put(t.name(), t);
                }
                int ntables = in.readInt();
                Map<String, TableMetadata> tables = new LinkedHashMap<>();
                for (int j = 0; j < ntables; j++) {
                    TableMetadata t = readTable(in, format, name);
                    tables.put(t.name(), t);
                }
                keyspaces.put(name, new KeyspaceMetadata(name, replication, durable, tables, types));
            }
            SchemaHistory history = format >= 3 ? readHistory(in) : SchemaHistory.EMPTY;
            return new Schema(version, schemaVersion, keyspaces, history);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTable(DataOutputStream out, TableMetadata t) throws IOException {
        out.writeUTF(t.name());
        writeUuid(out, t.id());
        out.writeInt(t.columns().size());
        for (ColumnMetadata c : t.columns()) {
            out.writeUTF(c.name());
            writeType(out, c.type());
            out.writeByte(c.kind().ordinal());
            out.writeInt(c.position());
            out.writeBoolean(c.descending());
        }
        writeOptions(out, t.options());
        out.writeInt(t.dropped().size());
        for (DroppedColumn d : t.dropped().values()) {
            out.writeUTF(d.name());
            out.writeBoolean(d.type() != null);
            if (d.type() != null) {
                writeType(out, d.type());
            }
            out.writeLong(d.droppedAtMicros());
            out.writeBoolean(d.isStatic());
        }
    }

    private static TableMetadata readTable(DataInputStream in, int format, String keyspace) throws IOException {
        String tname = in.readUTF();
        UUID id = readUuid(in);
        int ncols = in.readInt();
        List<ColumnMetadata> cols = new ArrayList<>();
        for (int k = 0; k < ncols; k++) {
            String cname = in.readUTF();
            DataType type = readType(in);
            ColumnMetadata.Kind kind = ColumnMetadata.Kind.values()[in.readUnsignedByte()];
            cols.add(new ColumnMetadata(cname, type, kind, in.readInt(), in.readBoolean()));
        }
        Map<String, Object> options = readOptions(in);
        Map<String, DroppedColumn> dropped = new LinkedHashMap<>();
        if (format == 1) {
            for (String key : List.copyOf(options.keySet())) {
                if (key.startsWith(LEGACY_DROPPED_PREFIX)) {
                    String col = key.substring(LEGACY_DROPPED_PREFIX.length());
                    dropped.put(col, new DroppedColumn(col, null,
                            Long.parseLong(String.valueOf(options.remove(key))), false));
                }
            }
        } else {
            int ndropped = in.readInt();
            for (int k = 0; k < ndropped; k++) {
                String col = in.readUTF();
                DataType type = in.readBoolean() ? readType(in) : null;
                dropped.put(col, new DroppedColumn(col, type, in.readLong(), in.readBoolean()));
            }
        }
        return new TableMetadata(keyspace, tname, id, cols, options, dropped);
    }

    private static void writeHistory(DataOutputStream out, SchemaHistory history) throws IOException {
        out.writeInt(history.tables().size());
        for (SchemaHistory.Incarnation inc : history.tables()) {
            out.writeUTF(inc.keyspace());
            out.writeLong(inc.createdMillis());
            out.writeLong(inc.droppedMillis());
            out.writeInt(inc.versions().size());
            for (SchemaHistory.Version v : inc.versions()) {
                out.writeLong(v.sinceMillis());
                writeTable(out, v.table());
            }
        }
    }

    private static SchemaHistory readHistory(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<SchemaHistory.Incarnation> tables = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String keyspace = in.readUTF();
            long created = in.readLong();
            long dropped = in.readLong();
            int nversions = in.readInt();
            List<SchemaHistory.Version> versions = new ArrayList<>();
            for (int j = 0; j < nversions; j++) {
                long since = in.readLong();
                versions.add(new SchemaHistory.Version(since, readTable(in, FORMAT, keyspace)));
            }
            TableMetadata first = versions.get(0).table();
            tables.add(new SchemaHistory.Incarnation(keyspace, first.name(), first.id(), created, dropped, versions));
        }
        return new SchemaHistory(tables);
    }

    /** One table's schema alone (a backup's metadata): the format byte, the keyspace, the table. */
    public static byte[] encodeTable(TableMetadata t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeUTF(t.keyspace());
            writeTable(out, t);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table {@link #encodeTable} wrote; IllegalArgumentException for bytes it did not write. */
    public static TableMetadata decodeTable(byte[] content) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(content));
            int format = in.readUnsignedByte();
            if (format < 2 || format > FORMAT) {
                throw new IllegalArgumentException("unknown table schema format " + format);
            }
            String keyspace = in.readUTF();
            return readTable(in, format, keyspace);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a table schema written by Strata: " + e.getMessage(), e);
        }
    }

    private static void writeType(DataOutputStream out, DataType type) throws IOException {
        if (type instanceof NativeType n) {
            out.writeByte(0);
            out.writeUTF(n.cql());
        } else if (type instanceof CollectionType c) {
            out.writeByte(1);
            out.writeByte(c.kind().ordinal());
            out.writeBoolean(c.isFrozen());
            writeType(out, c.keyOrElement());
            if (c.value() != null) {
                writeType(out, c.value());
            }
        } else if (type instanceof TupleType t) {
            out.writeByte(2);
            out.writeInt(t.elements().size());
            for (DataType e : t.elements()) {
                writeType(out, e);
            }
        } else if (type instanceof UserType u) {
            out.writeByte(3);
            out.writeUTF(u.keyspace());
            out.writeUTF(u.name());
            out.writeBoolean(u.isFrozen());
            out.writeInt(u.fieldNames().size());
            for (int i = 0; i < u.fieldNames().size(); i++) {
                out.writeUTF(u.fieldNames().get(i));
                writeType(out, u.fieldTypes().get(i));
            }
        }
    }

    private static DataType readType(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        switch (tag) {
            case 0:
                return NativeType.byName(in.readUTF());
            case 1: {
                CollectionType.Kind kind = CollectionType.Kind.values()[in.readUnsignedByte()];
                boolean frozen = in.readBoolean();
                DataType k = readType(in);
                DataType v = kind == CollectionType.Kind.MAP ? readType(in) : null;
                return new CollectionType(kind, k, v, frozen);
            }
            case 2: {
                int n = in.readInt();
                List<DataType> els = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    els.add(readType(in));
                }
                return new TupleType(els);
            }
            case 3: {
                String ks = in.readUTF();
                String name = in.readUTF();
                boolean frozen = in.readBoolean();
                int n = in.readInt();
                List<String> names = new ArrayList<>();
                List<DataType> types = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    names.add(in.readUTF());
                    types.add(readType(in));
                }
                return new UserType(ks, name, names, types, frozen);
            }
            default:
                throw new IllegalStateException("unknown type tag " + tag);
        }
    }

    private static void writeStringMap(DataOutputStream out, Map<String, String> m) throws IOException {
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readStringMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(in.readUTF(), in.readUTF());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void writeOptions(DataOutputStream out, Map<String, Object> options) throws IOException {
        out.writeInt(options.size());
        for (Map.Entry<String, Object> e : options.entrySet()) {
            out.writeUTF(e.getKey());
            if (e.getValue() instanceof Map<?, ?> m) {
                out.writeByte(1);
                writeOptions(out, (Map<String, Object>) m);
            } else {
                out.writeByte(0);
                out.writeUTF(String.valueOf(e.getValue()));
            }
        }
    }

    private static Map<String, Object> readOptions(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = in.readUTF();
            m.put(k, in.readUnsignedByte() == 1 ? readOptions(in) : in.readUTF());
        }
        return m;
    }

    private static void writeUuid(DataOutputStream out, UUID u) throws IOException {
        out.writeLong(u.getMostSignificantBits());
        out.writeLong(u.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }
}
