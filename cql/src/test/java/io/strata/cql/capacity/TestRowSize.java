package io.strata.cql.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.request.Consistency;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.ColumnMetadata.Kind;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.NativeType;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.Row;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The docs' worked examples, reproduced from the sizing rules (docs/capacity.md). */
class TestRowSize {
    /** KS:calculating-row-size: ((pk_col1, pk_col2), ck_col1, ck_col2), reg_col1, all int; VALUES (1, 2, 3, 4, 5). */
    private static final TableMetadata FIVE_INTS = table(
            new ColumnMetadata("pk_col1", NativeType.INT, Kind.PARTITION_KEY, 0, false),
            new ColumnMetadata("pk_col2", NativeType.INT, Kind.PARTITION_KEY, 1, false),
            new ColumnMetadata("ck_col1", NativeType.INT, Kind.CLUSTERING, 0, false),
            new ColumnMetadata("ck_col2", NativeType.INT, Kind.CLUSTERING, 1, false),
            new ColumnMetadata("reg_col1", NativeType.INT, Kind.REGULAR, -1, false));

    static TableMetadata table(ColumnMetadata... columns) {
        return new TableMetadata("ks", "t", UUID.randomUUID(), List.of(columns), Map.of());
    }

    static byte[] i(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static Row row(Cell... cells) {
        return Row.of(Clustering.of(new byte[] {1}), LivenessInfo.of(1, 0, 0), List.of(cells));
    }

    @Test
    void fiveIntsAre31BytesOfThroughputAnd131Stored() {
        Row r = row(Cell.live("reg_col1", null, 1, i(5)));
        List<byte[]> pk = List.of(i(1), i(2));
        List<byte[]> ck = List.of(i(3), i(4));
        // pk: (2 B x 2 + 1 B id + 3 B) x 2 = 16; ck: (2 B x 2 + 1 B (20%) + 1 B id) x 2 = 12; reg: 2 B + 1 B id = 3
        assertThat(RowSize.partitionKey(FIVE_INTS, pk)).isEqualTo(16);
        assertThat(RowSize.clustering(FIVE_INTS, ck)).isEqualTo(12);
        long throughput = RowSize.row(FIVE_INTS, pk, ck, r, false);
        assertThat(throughput).isEqualTo(31);
        assertThat(throughput + RowSize.storageOverhead(false)).isEqualTo(131);
        // Strata keeps client-side timestamps on every table: 20 B for the one cell written
        assertThat(RowSize.row(FIVE_INTS, pk, ck, r)).isEqualTo(51);
        assertThat(CapacityUnits.writeUnits(51)).isEqualTo(1);
    }

    @Test
    void twentyColumnsOf40BytesGrowFrom800To1200WithClientTimestamps() {
        // KS:client-side-timestamps-how-it-works: 20 columns of 40 B each, the row grows from 800 B to 1200 B
        List<ColumnMetadata> cols = new ArrayList<>();
        cols.add(new ColumnMetadata("k", NativeType.BLOB, Kind.PARTITION_KEY, 0, false));
        List<Cell> cells = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            cols.add(new ColumnMetadata("c" + c, NativeType.BLOB, Kind.REGULAR, -1, false));
            cells.add(Cell.live("c" + c, null, 1, new byte[39])); // 39 B + 1 B column id = 40 B
        }
        TableMetadata t = table(cols.toArray(ColumnMetadata[]::new));
        Row r = Row.of(Clustering.EMPTY, LivenessInfo.NONE, cells);
        assertThat(RowSize.cells(t, r, false)).isEqualTo(800);
        assertThat(RowSize.cells(t, r, true)).isEqualTo(1200);
    }

    @Test
    void ttlAdds8BytesPerCellAnd8PerRow() {
        Row r = Row.of(Clustering.of(new byte[] {1}), LivenessInfo.of(1, 60, 0),
                List.of(Cell.expiring("reg_col1", null, 1, 60, 0, i(5))));
        List<byte[]> pk = List.of(i(1), i(2));
        List<byte[]> ck = List.of(i(3), i(4));
        assertThat(RowSize.row(FIVE_INTS, pk, ck, r, false)).isEqualTo(31 + 8 + 8);
    }

    @Test
    void valuesAreSizedAsKeyspacesEncodesThem() {
        assertThat(RowSize.value(NativeType.TEXT, "héllo".getBytes(StandardCharsets.UTF_8))).isEqualTo(6);
        assertThat(RowSize.value(NativeType.BLOB, new byte[100])).isEqualTo(100);
        assertThat(RowSize.value(NativeType.BOOLEAN, new byte[] {1})).isEqualTo(1);
        assertThat(RowSize.value(NativeType.INT, null)).isEqualTo(1);
        // 1 byte per two significant digits + 1, leading and trailing zeros trimmed
        assertThat(RowSize.value(NativeType.INT, i(0))).isEqualTo(2);
        assertThat(RowSize.value(NativeType.INT, i(7))).isEqualTo(2);
        assertThat(RowSize.value(NativeType.INT, i(12))).isEqualTo(2);
        assertThat(RowSize.value(NativeType.INT, i(123))).isEqualTo(3);
        assertThat(RowSize.value(NativeType.INT, i(-123))).isEqualTo(3);
        assertThat(RowSize.value(NativeType.INT, i(1_000_000))).isEqualTo(2);
        assertThat(RowSize.value(NativeType.INT, i(Integer.MIN_VALUE))).isEqualTo(6); // 2147483648: 10 digits
        assertThat(RowSize.value(NativeType.BIGINT, ByteBuffer.allocate(8).putLong(Long.MIN_VALUE).array()))
                .isEqualTo(11); // 9223372036854775808: 19 digits
        assertThat(RowSize.value(NativeType.VARINT, new BigInteger("123456789012345678901234567890").toByteArray()))
                .isEqualTo(1 + 29 / 2 + 1); // 29 significant digits once the trailing zero is trimmed
        assertThat(RowSize.value(NativeType.UUID, new byte[16])).isEqualTo(16);
        assertThat(RowSize.value(NativeType.DOUBLE, new byte[8])).isEqualTo(8);
    }

    @Test
    void columnIdsGrowByOneBytePer62Columns() {
        List<ColumnMetadata> cols = new ArrayList<>();
        cols.add(new ColumnMetadata("k", NativeType.INT, Kind.PARTITION_KEY, 0, false));
        for (int c = 1; c < 62; c++) {
            cols.add(new ColumnMetadata("c" + c, NativeType.INT, Kind.REGULAR, -1, false));
        }
        assertThat(RowSize.columnIdBytes(table(cols.toArray(ColumnMetadata[]::new)))).isEqualTo(1);
        cols.add(new ColumnMetadata("c62", NativeType.INT, Kind.REGULAR, -1, false));
        assertThat(RowSize.columnIdBytes(table(cols.toArray(ColumnMetadata[]::new)))).isEqualTo(2);
    }

    @Test
    void collectionsCost3BytesPlus1PerElement() {
        TableMetadata t = table(new ColumnMetadata("k", NativeType.INT, Kind.PARTITION_KEY, 0, false),
                new ColumnMetadata("m", new CollectionType(CollectionType.Kind.MAP, NativeType.TEXT, NativeType.BLOB, false),
                        Kind.REGULAR, -1, false),
                new ColumnMetadata("s", new CollectionType(CollectionType.Kind.SET, NativeType.TEXT, null, false),
                        Kind.REGULAR, -1, false));
        Row r = Row.of(Clustering.EMPTY, LivenessInfo.NONE, List.of(
                Cell.live("m", "ab".getBytes(StandardCharsets.UTF_8), 1, new byte[10]),
                Cell.live("m", "cd".getBytes(StandardCharsets.UTF_8), 1, new byte[10]),
                Cell.live("s", "xyz".getBytes(StandardCharsets.UTF_8), 1, new byte[0])));
        // m: 1 B id + 3 B + 2 x (2 B key + 10 B value + 1 B); s: 1 B id + 3 B + (3 B + 1 B)
        assertThat(RowSize.cells(t, r, false)).isEqualTo(4 + 26 + 4 + 4);
        // with client-side timestamps: 20 B per element
        assertThat(RowSize.cells(t, r, true)).isEqualTo(38 + 3 * 20);
    }

    @Test
    void readUnitsAreOnTheTotalRoundedUpOnceAndHalvedAtLocalOne() {
        // aws.amazon.com/keyspaces/pricing: an 8 KB row is 2 RRU at LOCAL_QUORUM, 1 at LOCAL_ONE
        assertThat(CapacityUnits.readUnits(8 * 1024, Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        assertThat(CapacityUnits.readUnits(8 * 1024, Consistency.LOCAL_ONE)).isEqualTo(1.0);
        // four rows of 2 KB: 8 KB read in all, 2 RRU (not 4)
        assertThat(CapacityUnits.readUnits(4 * 2048, Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        // a 1 KB read at LOCAL_ONE: half a unit
        assertThat(CapacityUnits.readUnits(1024, Consistency.LOCAL_ONE)).isEqualTo(0.5);
        assertThat(CapacityUnits.readUnits(4097, Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        assertThat(CapacityUnits.readUnits(0, Consistency.LOCAL_QUORUM)).isEqualTo(1.0);
        assertThat(CapacityUnits.readUnits(0, Consistency.ONE)).isEqualTo(0.5);
    }

    @Test
    void writeUnitsAreRoundedUpPerRowWithOneAtLeast() {
        assertThat(CapacityUnits.writeUnits(0)).isEqualTo(1);
        assertThat(CapacityUnits.writeUnits(1024)).isEqualTo(1);
        assertThat(CapacityUnits.writeUnits(1025)).isEqualTo(2);
        assertThat(CapacityUnits.writeUnits(2048)).isEqualTo(2);
    }

    @Test
    void textKeysAreStoredTwice() {
        TableMetadata t = table(new ColumnMetadata("k", NativeType.TEXT, Kind.PARTITION_KEY, 0, false),
                new ColumnMetadata("c", NativeType.TEXT, Kind.CLUSTERING, 0, false));
        byte[] k = "abcdefghij".getBytes(StandardCharsets.UTF_8);
        // 10 B x 2 + 1 B id + 3 B; clustering: 10 B x 2 + 2 B (20%) + 1 B id
        assertThat(RowSize.partitionKey(t, List.of(k))).isEqualTo(24);
        assertThat(RowSize.clustering(t, List.of(k))).isEqualTo(23);
    }
}
