package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.CrcMismatchException;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Queue;

/**
 * Reads v5 segments (the framing in force once the v5 handshake ends) and turns them back into
 * envelopes: a self-contained segment carries one or more whole envelopes; a run of
 * non-self-contained segments carries the slices of exactly one large envelope, reassembled here.
 * Both CRCs are verified (header CRC24, payload CRC32) and LZ4 payloads are inflated by the segment
 * codec. Any inconsistency (bad checksum, an envelope cut by a self-contained segment, a slice run
 * longer than its envelope, an envelope above the size limit) is a {@link ProtocolViolation}; the
 * limit is checked as soon as an envelope header is seen, before its remaining slices arrive.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
final class SegmentReader {
    private final SegmentCodec<ByteBuf> codec;
    private int maxBodyLength;
    private int maxPayloadLength = Integer.MAX_VALUE;
    private final int headerLength;

    private SegmentCodec.Header header;
    private CompositeByteBuf partial;
    private long partialTarget = -1;
    private int bytesWanted;

    SegmentReader(SegmentCodec<ByteBuf> codec, int maxBodyLength) {
        this.codec = codec;
        this.maxBodyLength = maxBodyLength;
        this.headerLength = codec.headerLength() + SegmentCodec.CRC24_LENGTH;
    }

    /**
     * Changes the limits: the envelope body size, and the segment payload size, compressed or inflated (before
     * authentication both are small, so an unauthenticated client cannot make the server buffer or inflate more).
     */
    void limit(int maxBodyLength, int maxPayloadLength) {
        this.maxBodyLength = maxBodyLength;
        this.maxPayloadLength = maxPayloadLength;
    }

    /**
     * Reads at most one segment from {@code in} and appends the envelopes it completes to {@code out}
     * (possibly none, for a slice of a large envelope).
     *
     * @return false if {@code in} does not hold a whole segment yet (see {@link #bytesWanted()})
     * @throws ProtocolViolation on a corrupt or inconsistent segment
     */
    boolean next(ByteBuf in, Queue<ByteBuf> out) {
        if (header == null) {
            if (in.readableBytes() < headerLength) {
                bytesWanted = headerLength;
                return false;
            }
            try {
                header = codec.decodeHeader(in.slice(in.readerIndex(), headerLength));
            } catch (CrcMismatchException e) {
                throw new ProtocolViolation(0, "Segment header checksum mismatch: " + e.getMessage());
            }
            int largest = Math.max(header.payloadLength, header.uncompressedPayloadLength);
            if (largest > maxPayloadLength) {
                throw new ProtocolViolation(0, "Segment payload of " + largest + " bytes exceeds this connection's "
                        + "limit of " + maxPayloadLength + " bytes (before authentication only small requests are "
                        + "accepted)");
            }
        }
        int segmentLength = headerLength + header.payloadLength + SegmentCodec.CRC32_LENGTH;
        if (in.readableBytes() < segmentLength) {
            bytesWanted = segmentLength;
            return false;
        }
        bytesWanted = 0;
        in.skipBytes(headerLength);
        ByteBuf payloadAndCrc = in.readSlice(header.payloadLength + SegmentCodec.CRC32_LENGTH);
        SegmentCodec.Header current = header;
        header = null;
        Segment<ByteBuf> segment;
        try {
            segment = codec.decode(current, payloadAndCrc);
        } catch (CrcMismatchException e) {
            throw new ProtocolViolation(0, "Segment payload checksum mismatch: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation(0, "Invalid segment payload: " + e.getMessage());
        }
        if (segment.isSelfContained) {
            splitSelfContained(segment.payload, out);
        } else {
            appendSlice(segment.payload, out);
        }
        return true;
    }

    /** How many bytes, counted from the reader index, the last incomplete {@link #next} call needed. */
    int bytesWanted() {
        return bytesWanted;
    }

    private void splitSelfContained(ByteBuf payload, Queue<ByteBuf> out) {
        if (partial != null) {
            throw new ProtocolViolation(0,
                    "Received a self-contained segment while a multi-segment envelope was incomplete");
        }
        while (payload.isReadable()) {
            int start = payload.readerIndex();
            if (payload.readableBytes() < FrameReader.HEADER_LENGTH) {
                throw new ProtocolViolation(0, "Self-contained segment ends inside an envelope header");
            }
            int streamId = payload.getShort(start + 2);
            long bodyLength = payload.getUnsignedInt(start + 5);
            FrameReader.checkBodyLength(bodyLength, -1, streamId, maxBodyLength);
            if (payload.readableBytes() < FrameReader.HEADER_LENGTH + bodyLength) {
                throw new ProtocolViolation(streamId, "Self-contained segment ends inside an envelope body");
            }
            out.add(payload.readSlice(FrameReader.HEADER_LENGTH + (int) bodyLength));
        }
    }

    private void appendSlice(ByteBuf slice, Queue<ByteBuf> out) {
        if (partial == null) {
            partial = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        }
        partial.addComponent(true, slice);
        if (partialTarget < 0 && partial.readableBytes() >= FrameReader.HEADER_LENGTH) {
            int streamId = partial.getShort(partial.readerIndex() + 2);
            long bodyLength = partial.getUnsignedInt(partial.readerIndex() + 5);
            FrameReader.checkBodyLength(bodyLength, -1, streamId, maxBodyLength);
            partialTarget = FrameReader.HEADER_LENGTH + bodyLength;
        }
        if (partialTarget >= 0 && partial.readableBytes() >= partialTarget) {
            if (partial.readableBytes() > partialTarget) {
                throw new ProtocolViolation(partial.getShort(partial.readerIndex() + 2),
                        "Multi-segment envelope carries more bytes than its header declares");
            }
            out.add(partial);
            partial = null;
            partialTarget = -1;
        }
    }
}
