package io.strata.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestMurmur3 {
    @Test
    void matchesCassandraTokensForKnownKeys() {
        // Values from Cassandra: SELECT token(k) on int keys 1, 2 and the text key 'a'.
        assertThat(Murmur3.token(ByteBuffer.allocate(4).putInt(1).array())).isEqualTo(-4069959284402364209L);
        assertThat(Murmur3.token(ByteBuffer.allocate(4).putInt(2).array())).isEqualTo(-3248873570005575792L);
    }

    @Test
    void longKeysUseBlocksAndTail() {
        byte[] key = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertThat(Murmur3.token(key)).isEqualTo(Murmur3.token(key.clone()));
        assertThat(Murmur3.token(key)).isNotEqualTo(Murmur3.token("the quick brown fox".getBytes(StandardCharsets.UTF_8)));
    }
}
