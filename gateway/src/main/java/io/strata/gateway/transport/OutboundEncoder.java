package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes one connection's responses for the wire. Frames are encoded one by one ({@link #encode}),
 * so a response that cannot be encoded fails alone and the caller can answer its stream with an
 * error instead; the encoded envelopes of one flush are then {@link #pack}ed into a single buffer:
 * concatenated as they are before the v5 handshake ends (v3/v4, with LZ4 bodies once negotiated),
 * or, in v5, batched into self-contained segments of up to 128 KiB, with an envelope above that
 * size split across non-self-contained segments. Packing composes buffers rather than copying them
 * (LZ4 segment compression aside).
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
final class OutboundEncoder {
    private final Codecs codecs;
    private FrameCodec<ByteBuf> frameCodec;
    private SegmentCodec<ByteBuf> segmentCodec;

    OutboundEncoder(Codecs codecs) {
        this.codecs = codecs;
        this.frameCodec = codecs.frames;
    }

    /** v3/v4 after STARTUP with COMPRESSION=lz4: frame bodies are compressed from now on. */
    void compressFrames() {
        frameCodec = codecs.lz4Frames;
    }

    /** v5 after the STARTUP response: segment framing from now on, compressed with LZ4 if negotiated. */
    void useSegments(boolean lz4) {
        frameCodec = codecs.frames;
        segmentCodec = lz4 ? codecs.lz4Segments : codecs.segments;
    }

    ByteBuf encode(Frame frame) {
        return frameCodec.encode(frame);
    }

    /** The wire bytes for the given envelopes, in order; empty input gives an empty buffer. */
    ByteBuf pack(List<ByteBuf> envelopes) {
        if (segmentCodec == null) {
            return envelopes.size() == 1
                    ? envelopes.get(0)
                    : Unpooled.wrappedBuffer(Integer.MAX_VALUE, envelopes.toArray(new ByteBuf[0]));
        }
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        List<ByteBuf> batch = new ArrayList<>();
        int batchLength = 0;
        for (ByteBuf envelope : envelopes) {
            int length = envelope.readableBytes();
            if (length > Segment.MAX_PAYLOAD_LENGTH) {
                batchLength = flushBatch(batch, out);
                while (envelope.isReadable()) {
                    ByteBuf slice = envelope.readSlice(Math.min(Segment.MAX_PAYLOAD_LENGTH, envelope.readableBytes()));
                    emit(slice, false, out);
                }
            } else {
                if (batchLength + length > Segment.MAX_PAYLOAD_LENGTH) {
                    batchLength = flushBatch(batch, out);
                }
                batch.add(envelope);
                batchLength += length;
            }
        }
        flushBatch(batch, out);
        return out;
    }

    private int flushBatch(List<ByteBuf> batch, CompositeByteBuf out) {
        if (!batch.isEmpty()) {
            ByteBuf payload = batch.size() == 1
                    ? batch.get(0)
                    : Unpooled.wrappedBuffer(Integer.MAX_VALUE, batch.toArray(new ByteBuf[0]));
            emit(payload, true, out);
            batch.clear();
        }
        return 0;
    }

    private void emit(ByteBuf payload, boolean selfContained, CompositeByteBuf out) {
        List<Object> parts = new ArrayList<>(3);
        segmentCodec.encode(new Segment<>(payload, selfContained), parts);
        for (Object part : parts) {
            out.addComponent(true, (ByteBuf) part);
        }
    }
}
