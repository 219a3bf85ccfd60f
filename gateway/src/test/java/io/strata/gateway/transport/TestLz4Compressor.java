package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class TestLz4Compressor {
    private final Lz4Compressor lz4 = new Lz4Compressor(1 << 20);

    @Test
    void frameBodiesRoundTripWithTheirLengthPrefix() {
        byte[] body = "SELECT * FROM ks.t WHERE k = ?".repeat(100).getBytes(StandardCharsets.UTF_8);

        ByteBuf compressed = lz4.compress(Unpooled.wrappedBuffer(body));

        assertThat(compressed.getInt(0)).isEqualTo(body.length);
        assertThat(compressed.readableBytes()).isLessThan(body.length);
        ByteBuf restored = lz4.decompress(compressed);
        assertThat(ByteBufUtil.getBytes(restored)).isEqualTo(body);
        assertThat(compressed.isReadable()).isFalse();
    }

    @Test
    void segmentPayloadsRoundTripWithoutLength() {
        byte[] payload = new byte[100_000];
        new Random(7).nextBytes(payload);
        for (int i = 0; i < payload.length; i += 2) {
            payload[i] = 0; // half zeros: compressible, yet not trivially so
        }

        ByteBuf compressed = lz4.compressWithoutLength(Unpooled.wrappedBuffer(payload));
        ByteBuf restored = lz4.decompressWithoutLength(compressed, payload.length);

        assertThat(ByteBufUtil.getBytes(restored)).isEqualTo(payload);
    }

    @Test
    void compressesCompositeInputWithoutMovingItsReaderIndex() {
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.copiedBuffer("abc".repeat(50), StandardCharsets.UTF_8),
                Unpooled.copiedBuffer("xyz".repeat(50), StandardCharsets.UTF_8));

        ByteBuf compressed = lz4.compressWithoutLength(composite);

        assertThat(composite.readerIndex()).isZero();
        assertThat(lz4.decompressWithoutLength(compressed, 300).toString(StandardCharsets.UTF_8))
                .isEqualTo("abc".repeat(50) + "xyz".repeat(50));
    }

    @Test
    void refusesLengthsAboveTheLimitBeforeInflating() {
        ByteBuf lying = Unpooled.buffer().writeInt(2 << 20).writeBytes(new byte[] {0x10, 'a'});

        assertThatThrownBy(() -> lz4.decompress(lying))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds maximum allowed length");
    }

    @Test
    void refusesCorruptOrShortData() {
        ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {(byte) 0xF0, 1, 2, 3, 4});

        assertThatThrownBy(() -> lz4.decompressWithoutLength(garbage, 5000)).isInstanceOf(IllegalArgumentException.class);
        ByteBuf compressed = lz4.compressWithoutLength(Unpooled.wrappedBuffer(new byte[64]));
        assertThatThrownBy(() -> lz4.decompressWithoutLength(compressed, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lz4.decompress(Unpooled.wrappedBuffer(new byte[] {0, 0})))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
