package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import io.strata.cql.request.PageRequest;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.ReadQuery;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The paging state's body, parsed as untrusted input although the session's MAC guards it: nothing in it
 * sizes an allocation, and anything malformed is a PROTOCOL_ERROR.
 */
class TestPagingState {
    private static final ReadQuery.Position AT = new ReadQuery.Position(PartitionKey.of(new byte[] {1, 2, 3}),
            Clustering.of(new byte[] {4, 5}));

    private static void assertRefused(byte[] state) {
        assertThatThrownBy(() -> PagingState.deserialize(state)).isInstanceOfSatisfying(CqlException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.getMessage()).isEqualTo("Invalid value for the paging state");
        });
    }

    @Test
    void roundTrips() {
        for (PagingState s : new PagingState[] {PagingState.atPosition(AT, 7), PagingState.atGroup(AT, 3, 2),
                PagingState.atOffset(12, Integer.MAX_VALUE),
                PagingState.atPosition(new ReadQuery.Position(AT.key(), Clustering.STATIC), 1),
                PagingState.atPosition(new ReadQuery.Position(AT.key(), null), 1)}) {
            PagingState back = PagingState.deserialize(s.serialize());
            assertThat(back.remaining()).isEqualTo(s.remaining());
            assertThat(back.virtualOffset()).isEqualTo(s.virtualOffset());
            assertThat(back.partitionGroups()).isEqualTo(s.partitionGroups());
            assertThat(back.position()).isEqualTo(s.position());
        }
    }

    @Test
    void truncationsAndTrailingBytesAreRefused() {
        byte[] state = PagingState.atGroup(AT, 3, 2).serialize();
        for (int n = 0; n < state.length; n++) {
            assertRefused(Arrays.copyOf(state, n));
        }
        assertRefused(Arrays.copyOf(state, state.length + 1));
    }

    @Test
    void maximalLengthFieldsAreRefusedWithoutAllocating() {
        byte[] state = PagingState.atPosition(AT, 7).serialize();
        int keyLength = 1 + 1 + 4 + 4 + 4 + 8;
        int clusteringLength = keyLength + 4 + 3 + 1;
        for (int at : new int[] {keyLength, clusteringLength}) {
            for (int forged : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, PagingState.MAX_KEY_BYTES + 1, 1 << 20}) {
                byte[] bad = state.clone();
                ByteBuffer.wrap(bad).putInt(at, forged);
                long before = allocated();
                assertRefused(bad);
                assertThat(allocated() - before).as("bytes allocated refusing length %d", forged).isLessThan(64 * 1024);
            }
        }
    }

    @Test
    void aKeyLongerThanAStateHoldsIsRefusedEvenWhenPresent() {
        byte[] key = new byte[PagingState.MAX_KEY_BYTES + 1];
        ByteBuffer b = ByteBuffer.allocate(1 + 1 + 12 + 8 + 4 + key.length + 1);
        b.put((byte) 3).put((byte) 0).putInt(1).putInt(-1).putInt(0).putLong(0).putInt(key.length).put(key).put((byte) 0);
        assertRefused(b.array());
        assertThatThrownBy(() -> PagingState.atPosition(new ReadQuery.Position(PartitionKey.of(key), null), 1).serialize())
                .isInstanceOfSatisfying(CqlException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
    }

    @Test
    void anOversizedStateIsRefusedAndTheLargestFits() {
        assertThat(PagingState.MAX_BYTES).isLessThanOrEqualTo(PageRequest.MAX_STATE_BYTES);
        byte[] largest = PagingState.atPosition(new ReadQuery.Position(PartitionKey.of(new byte[PagingState.MAX_KEY_BYTES]),
                Clustering.of(new byte[PagingState.MAX_CLUSTERING_BYTES])), 1).serialize();
        assertThat(largest).hasSize(PagingState.MAX_BYTES);
        assertThat(PagingState.deserialize(largest).remaining()).isEqualTo(1);
        assertRefused(new byte[PagingState.MAX_BYTES + 1]);
    }

    @Test
    void unknownFormatKindsAndNegativeCountsAreRefused() {
        byte[] state = PagingState.atPosition(AT, 7).serialize();
        byte[] format = state.clone();
        format[0] = 2;
        assertRefused(format);
        byte[] kind = state.clone();
        kind[1] = 9;
        assertRefused(kind);
        byte[] remaining = state.clone();
        ByteBuffer.wrap(remaining).putInt(2, -5);
        assertRefused(remaining);
        byte[] clustering = state.clone();
        clustering[1 + 1 + 12 + 8 + 4 + 3] = 7;
        assertRefused(clustering);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
