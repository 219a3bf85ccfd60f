package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link OutboundEncoder} and {@link SegmentReader} against each other and against hand-made segments. */
final class TestSegmentFraming {
    private final Codecs codecs = new Codecs(1 << 20);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void packedEnvelopesReadBackIdentically(boolean lz4) {
        OutboundEncoder encoder = new OutboundEncoder(codecs);
        encoder.useSegments(lz4);
        List<ByteBuf> envelopes = List.of(
                encoder.encode(response(1, CannedRows.text("small one"))),
                encoder.encode(response(2, CannedRows.blob(new byte[300_000]))),
                encoder.encode(response(3, CannedRows.text("small two"))),
                encoder.encode(response(4, CannedRows.text("small three"))));
        List<byte[]> expected = new ArrayList<>();
        for (ByteBuf envelope : envelopes) {
            expected.add(ByteBufUtil.getBytes(envelope));
        }

        ByteBuf wire = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(encoder.pack(new ArrayList<>(envelopes))));
        SegmentReader reader = new SegmentReader(lz4 ? codecs.lz4Segments : codecs.segments, 1 << 20);
        ArrayDeque<ByteBuf> read = new ArrayDeque<>();
        int segments = 0;
        while (reader.next(wire, read)) {
            segments++;
        }

        assertThat(wire.isReadable()).isFalse();
        assertThat(read).hasSize(4);
        for (byte[] bytes : expected) {
            assertThat(ByteBufUtil.getBytes(read.poll())).isEqualTo(bytes);
        }
        // the first small envelope, 3 slices of the 300 KB one, then the last two sharing a segment
        assertThat(segments).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000})
    void waitsForWholeSegmentsWhateverTheChunking(int chunk) {
        OutboundEncoder encoder = new OutboundEncoder(codecs);
        encoder.useSegments(false);
        byte[] wire = ByteBufUtil.getBytes(encoder.pack(new ArrayList<>(List.of(
                encoder.encode(response(5, CannedRows.text("x".repeat(5000))))))));
        SegmentReader reader = new SegmentReader(codecs.segments, 1 << 20);
        ByteBuf received = Unpooled.buffer();
        ArrayDeque<ByteBuf> read = new ArrayDeque<>();

        for (int offset = 0; offset < wire.length; offset += chunk) {
            received.writeBytes(wire, offset, Math.min(chunk, wire.length - offset));
            boolean complete = reader.next(received, read);
            assertThat(complete).isEqualTo(offset + chunk >= wire.length);
            if (!complete) {
                assertThat(reader.bytesWanted()).isGreaterThan(received.readableBytes());
            }
        }

        assertThat(read).hasSize(1);
        assertThat(read.peek().getShort(2)).isEqualTo((short) 5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncated", "interleaved", "overlong", "oversize"})
    void refusesInconsistentSegments(String defect) {
        SegmentCodec<ByteBuf> codec = codecs.segments;
        byte[] envelope = ByteBufUtil.getBytes(new OutboundEncoder(codecs).encode(response(9, CannedRows.text("y".repeat(200)))));
        CompositeByteBuf wire = Unpooled.compositeBuffer();
        String expected;
        switch (defect) {
            case "truncated":
                segment(codec, wire, java.util.Arrays.copyOf(envelope, envelope.length - 1), true);
                expected = "ends inside an envelope body";
                break;
            case "interleaved":
                segment(codec, wire, java.util.Arrays.copyOf(envelope, 50), false);
                segment(codec, wire, envelope, true);
                expected = "while a multi-segment envelope was incomplete";
                break;
            case "overlong":
                byte[] longer = java.util.Arrays.copyOf(envelope, envelope.length + 3);
                segment(codec, wire, java.util.Arrays.copyOf(longer, 100), false);
                segment(codec, wire, java.util.Arrays.copyOfRange(longer, 100, longer.length), false);
                expected = "more bytes than its header declares";
                break;
            default:
                segment(codec, wire, envelope, true);
                expected = "Request is too big: length " + (envelope.length - 9) + " exceeds maximum allowed length 100";
                break;
        }
        SegmentReader reader = new SegmentReader(codec, "oversize".equals(defect) ? 100 : 1 << 20);
        ByteBuf bytes = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(wire));
        ArrayDeque<ByteBuf> read = new ArrayDeque<>();

        assertThatThrownBy(() -> {
            while (reader.next(bytes, read)) {
                // keep reading until the defect surfaces
            }
        }).isInstanceOf(ProtocolViolation.class).hasMessageContaining(expected);
    }

    private static void segment(SegmentCodec<ByteBuf> codec, CompositeByteBuf wire, byte[] payload, boolean selfContained) {
        List<Object> parts = new ArrayList<>();
        codec.encode(new Segment<>(Unpooled.wrappedBuffer(payload), selfContained), parts);
        for (Object part : parts) {
            wire.addComponent(true, (ByteBuf) part);
        }
    }

    private static Frame response(int stream, Rows rows) {
        return Frame.forResponse(5, stream, null, Frame.NO_PAYLOAD, Collections.emptyList(), rows);
    }
}
