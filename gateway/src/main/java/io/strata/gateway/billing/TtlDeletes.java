package io.strata.gateway.billing;

import static java.util.Objects.requireNonNull;

import io.strata.cql.capacity.Metering;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.storage.spi.ExpiryListener;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.TableId;

/**
 * Counts TTL deletes into the usage ledger: when a compaction removes expired rows for good, each row costs 1 TTL
 * delete unit per started KB of what expired (with its key columns), Keyspaces' rule. The count of a compaction
 * reaches the ledger only once the compaction is durable, and is then written at the ledger's next flush (a crash
 * in between loses at most one flush interval of TTL deletes, as of reads). The ledger's own table is not counted. Thread-safe; each {@link Purge} is used by one compaction thread.
 */
final class TtlDeletes implements ExpiryListener {
    private final UsageLedger ledger;
    private final SchemaService schemas;

    TtlDeletes(UsageLedger ledger, SchemaService schemas) {
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
    }

    @Override
    public Purge purging(TableId id) {
        if (id.equals(UsageLedger.TABLE)) {
            return Purge.NONE;
        }
        Schema schema = schemas.cached(id.tenant());
        if (schema == null) {
            // a table compacted before its tenant's first request since start; the compaction thread may wait
            schema = schemas.schema(id.tenant()).toCompletableFuture().join();
        }
        TableMetadata table = schema == null ? null
                : schema.table(id.keyspace(), id.table()).filter(t -> t.id().equals(id.id())).orElse(null);
        return table == null ? Purge.NONE : new Count(id, table);
    }

    private final class Count implements Purge {
        private final TableId id;
        private final TableMetadata table;
        private long units;

        Count(TableId id, TableMetadata table) {
            this.id = id;
            this.table = table;
        }

        @Override
        public void row(PartitionKey key, Row expired) {
            units += Metering.ttlDeleteUnits(table, key, expired);
        }

        @Override
        public void committed() {
            if (units > 0) {
                ledger.record(new UsageLedger.Table(id.tenant(), id.keyspace(), id.table(), id.id()),
                        Usage.ttlDeletes(units));
            }
        }
    }
}
