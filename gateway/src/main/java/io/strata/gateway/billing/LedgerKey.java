package io.strata.gateway.billing;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PartitionKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One ledger row: a table's usage in one UTC hour as counted by one gateway node. Encoded as the partition key of
 * the ledger table ({@code tenant \0 keyspace \0 table \0 id \0 yyyyMMddHH \0 node}).
 *
 * @param hour the hour as {@code yyyyMMddHH} (UTC)
 * @param node the gateway node that counted (its host id)
 */
record LedgerKey(String tenant, String keyspace, String table, UUID tableId, String hour, String node) {
    LedgerKey {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(tableId, "tableId is null");
        requireNonNull(hour, "hour is null");
        requireNonNull(node, "node is null");
        if (hour.length() != 10) {
            throw new IllegalArgumentException("hour must be yyyyMMddHH: " + hour);
        }
    }

    PartitionKey partitionKey() {
        return PartitionKey.of(String.join("\0", tenant, keyspace, table, tableId.toString(), hour, node)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The key a partition of the ledger table stands for, or null if it is not a ledger key. */
    static LedgerKey of(PartitionKey key) {
        String[] parts = new String(key.key(), StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 6) {
            return null;
        }
        try {
            return new LedgerKey(parts[0], parts[1], parts[2], UUID.fromString(parts[3]), parts[4], parts[5]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
