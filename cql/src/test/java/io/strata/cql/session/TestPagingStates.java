package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The seal around paging states: only a state this server issued, for this tenant and statement, opens. */
class TestPagingStates {
    private static final byte[] BODY = "a body as the executor writes it".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SELECT_X = PagingStates.scope("ks", "SELECT * FROM x");

    private final PagingStates states = new PagingStates(PagingKey.of(key(1)));

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    private static void assertRefused(Runnable open) {
        assertThatThrownBy(open::run).isInstanceOfSatisfying(CqlException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.getMessage()).isEqualTo("Invalid value for the paging state");
        });
    }

    @Test
    void roundTrip() {
        byte[] sealed = states.seal("a", SELECT_X, BODY);
        assertThat(sealed).hasSize(1 + BODY.length + PagingStates.MAC_BYTES);
        assertThat(states.open("a", SELECT_X, ByteBuffer.wrap(sealed))).isEqualTo(BODY);
    }

    @Test
    void everySingleBitFlipIsRefused() {
        byte[] sealed = states.seal("a", SELECT_X, BODY);
        for (int bit = 0; bit < sealed.length * 8; bit++) {
            byte[] flipped = sealed.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(flipped)));
        }
    }

    @Test
    void everyTruncationAndExtensionIsRefused() {
        byte[] sealed = states.seal("a", SELECT_X, BODY);
        for (int n = 0; n < sealed.length; n++) {
            byte[] cut = Arrays.copyOf(sealed, n);
            assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(cut)));
            byte[] headless = Arrays.copyOfRange(sealed, sealed.length - n, sealed.length);
            assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(headless)));
        }
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
        assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(longer)));
    }

    @Test
    void aStateOfAnotherTenantIsRefused() {
        byte[] sealed = states.seal("a", SELECT_X, BODY);
        assertRefused(() -> states.open("b", SELECT_X, ByteBuffer.wrap(sealed)));
        // the tenant is length-prefixed: no shifting of bytes between tenant and statement makes a match
        assertRefused(() -> states.open("a\0", SELECT_X, ByteBuffer.wrap(sealed)));
    }

    @Test
    void aStateOfAnotherStatementIsRefused() {
        byte[] sealed = states.seal("a", SELECT_X, BODY);
        assertRefused(() -> states.open("a", PagingStates.scope("ks", "SELECT * FROM y"), ByteBuffer.wrap(sealed)));
        assertRefused(() -> states.open("a", PagingStates.scope("other", "SELECT * FROM x"), ByteBuffer.wrap(sealed)));
        assertRefused(() -> states.open("a", PagingStates.scope(null, "SELECT * FROM x"), ByteBuffer.wrap(sealed)));
        assertThat(PagingStates.scope("ks", "x")).isNotEqualTo(PagingStates.scope("k", "sx"));
    }

    @Test
    void aStateSealedUnderAnotherKeyIsRefused() {
        byte[] sealed = new PagingStates(PagingKey.of(key(2))).seal("a", SELECT_X, BODY);
        assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(sealed)));
        assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(new PagingStates(PagingKey.random())
                .seal("a", SELECT_X, BODY))));
    }

    @Test
    void aPreviousKeyStillOpensStatesAfterRotation() {
        byte[] old = states.seal("a", SELECT_X, BODY);
        PagingStates rotated = new PagingStates(PagingKey.of(key(2), key(1)));
        assertThat(rotated.open("a", SELECT_X, ByteBuffer.wrap(old))).isEqualTo(BODY);
        byte[] fresh = rotated.seal("a", SELECT_X, BODY);
        assertRefused(() -> states.open("a", SELECT_X, ByteBuffer.wrap(fresh)));
    }

    @Test
    void anOversizedStateIsRefusedBeforeItsMacIsComputed() {
        ByteBuffer huge = ByteBuffer.allocate(PagingStates.MAX_SEALED_BYTES + 1);
        huge.put(0, PagingStates.VERSION);
        // once first: loading the classes of the refusal (exception, message, assertions) allocates tens of KiB
        assertRefused(() -> states.open("a", SELECT_X, huge.duplicate()));
        long before = allocated();
        assertRefused(() -> states.open("a", SELECT_X, huge));
        // a copy of the state would be over 132 KiB
        assertThat(allocated() - before).as("bytes allocated refusing an oversized state").isLessThan(64 * 1024);
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> PagingKey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PagingKey.of(key(1), new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThat(PagingKey.of(key(1)).toString()).isEqualTo("PagingKey[1 key(s)]");
    }

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
