package io.strata.storage.engine;

import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.util.List;

/** Engine-test rows: an int partition key, one int cell {@code v}. */
final class IntRows {
    private IntRows() {}

    static PartitionUpdate put(TableId table, int k, int v, long ts) {
        return PartitionUpdate.ofRows(table, key(k), List.of(Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0),
                List.of(Cell.live("v", null, ts, ByteBuffer.allocate(4).putInt(v).array())))));
    }

    /** The value of key {@code k}, or -1 when it has no row. */
    static int read(LsmEngine e, TableId table, int k) {
        var r = e.read(new ReadQuery(table, new PartitionSelection.Single(key(k)), List.of(Slice.ALL), false, null, 10,
                Integer.MAX_VALUE, (int) (System.currentTimeMillis() / 1000), null)).toCompletableFuture().join();
        return r.partitions().isEmpty() ? -1
                : ByteBuffer.wrap(r.partitions().get(0).rows().get(0).cells().get(0).value()).getInt();
    }

    private static PartitionKey key(int k) {
        return PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array());
    }
}
