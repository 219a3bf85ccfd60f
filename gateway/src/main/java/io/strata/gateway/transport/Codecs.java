package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import io.netty.buffer.ByteBuf;

/**
 * The server-side codecs of one {@link CqlServer}, shared by all its connections: frame codecs
 * without and with LZ4 body compression (v3/v4), and segment codecs without and with LZ4 (v5).
 * In v5 the envelope inside a segment is never compressed on its own, so v5 envelopes always go
 * through {@link #frames}: its no-op compressor also makes decoding ignore the deprecated COMPRESSED
 * flag, which the Java driver still sets on v5 envelopes when LZ4 is negotiated.
 *
 * <p>Immutable and thread-safe (the native-protocol codecs keep no per-call state).
 */
final class Codecs {
    final FrameCodec<ByteBuf> frames;
    final FrameCodec<ByteBuf> lz4Frames;
    /** LZ4 frames of a connection not yet authenticated: they inflate to no more than its frame limit. */
    final FrameCodec<ByteBuf> lz4FramesPreAuth;
    final SegmentCodec<ByteBuf> segments;
    final SegmentCodec<ByteBuf> lz4Segments;

    Codecs(int maxFrameSize) {
        this(maxFrameSize, maxFrameSize);
    }

    Codecs(int maxFrameSize, int preAuthMaxFrameSize) {
        ByteBufPrimitiveCodec primitives = ByteBufPrimitiveCodec.INSTANCE;
        this.frames = FrameCodec.defaultServer(primitives, Compressor.none());
        // a v3/v4 body may inflate up to the frame limit; a v5 segment payload up to its fixed maximum
        this.lz4Frames = FrameCodec.defaultServer(primitives, new Lz4Compressor(maxFrameSize));
        this.lz4FramesPreAuth = FrameCodec.defaultServer(primitives, new Lz4Compressor(preAuthMaxFrameSize));
        this.segments = new SegmentCodec<>(primitives, Compressor.none());
        this.lz4Segments = new SegmentCodec<>(primitives, new Lz4Compressor(Segment.MAX_PAYLOAD_LENGTH));
    }
}
