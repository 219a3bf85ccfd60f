package io.strata.storage.engine.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.runtime.FairShareExecutor;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.TableId;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Lock stripes of conditional writes: one partition always one lock, never shared across tenants. */
class TestConditionalWriteLocks {
    private final FairShareExecutor<String> executor = new FairShareExecutor<>(1, 1.0, 10, Thread::new);
    private final ConditionalWrites writes = new ConditionalWrites(new Tables(), executor,
            updates -> CompletableFuture.completedFuture(null));

    @Test
    void aPartitionAlwaysMapsToTheSameLock() {
        TableId table = new TableId("acme", "ks", "t", UUID.randomUUID());
        TableId sameTableAgain = new TableId("acme", "ks", "t", table.id());
        PartitionKey key = PartitionKey.of(new byte[] {7});
        assertThat(writes.lockFor(table, key)).isSameAs(writes.lockFor(sameTableAgain, PartitionKey.of(new byte[] {7})));
    }

    @Test
    void tenantsNeverShareALock() {
        TableId a = new TableId("a", "ks", "t", UUID.randomUUID());
        TableId b = new TableId("b", "ks", "t", UUID.randomUUID());
        for (int i = 0; i < 2000; i++) {
            PartitionKey key = PartitionKey.of(new byte[] {(byte) i, (byte) (i >> 8)});
            for (int j = 0; j < 4; j++) {
                PartitionKey other = PartitionKey.of(new byte[] {(byte) j});
                assertThat(writes.lockFor(a, key)).isNotSameAs(writes.lockFor(b, other));
            }
        }
    }
}
