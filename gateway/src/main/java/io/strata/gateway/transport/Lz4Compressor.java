package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Compressor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * LZ4 block compression as the native protocol uses it: v3/v4 frame bodies carry a 4-byte big-endian
 * uncompressed length before the compressed block ({@link #compress}/{@link #decompress}); v5 segments
 * carry the lengths in the segment header ({@link #compressWithoutLength}/{@link
 * #decompressWithoutLength}).
 *
 * <p>Input comes from clients, so decompression uses the bounds-checked decompressor and refuses a
 * declared uncompressed length above {@code maxUncompressedLength} before allocating anything.
 * Reads never move the input's reader index except in {@link #decompress}, which consumes the body.
 * Thread-safe (the lz4-java compressors are).
 */
final class Lz4Compressor implements Compressor<ByteBuf> {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();

    private final LZ4Compressor compressor = FACTORY.fastCompressor();
    private final LZ4SafeDecompressor decompressor = FACTORY.safeDecompressor();
    private final int maxUncompressedLength;

    Lz4Compressor(int maxUncompressedLength) {
        if (maxUncompressedLength <= 0) {
            throw new IllegalArgumentException("maxUncompressedLength must be positive");
        }
        this.maxUncompressedLength = maxUncompressedLength;
    }

    @Override
    public String algorithm() {
        return "lz4";
    }

    @Override
    public ByteBuf compress(ByteBuf uncompressed) {
        int length = uncompressed.readableBytes();
        ByteBuf out = Unpooled.buffer(4 + compressor.maxCompressedLength(length));
        out.writeInt(length);
        compressInto(uncompressed, out);
        return out;
    }

    @Override
    public ByteBuf compressWithoutLength(ByteBuf uncompressed) {
        ByteBuf out = Unpooled.buffer(compressor.maxCompressedLength(uncompressed.readableBytes()));
        compressInto(uncompressed, out);
        return out;
    }

    private void compressInto(ByteBuf source, ByteBuf out) {
        Array in = Array.of(source);
        int written = compressor.compress(in.bytes, in.offset, in.length,
                out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
        out.writerIndex(out.writerIndex() + written);
    }

    @Override
    public ByteBuf decompress(ByteBuf compressed) {
        if (compressed.readableBytes() < 4) {
            throw new IllegalArgumentException("LZ4 body too short to carry its uncompressed length");
        }
        int length = compressed.readInt();
        ByteBuf out = decompressExactly(compressed, length);
        compressed.skipBytes(compressed.readableBytes());
        return out;
    }

    @Override
    public ByteBuf decompressWithoutLength(ByteBuf compressed, int uncompressedLength) {
        return decompressExactly(compressed, uncompressedLength);
    }

    private ByteBuf decompressExactly(ByteBuf compressed, int length) {
        if (length < 0 || length > maxUncompressedLength) {
            throw new IllegalArgumentException("Declared uncompressed length " + length
                    + " exceeds maximum allowed length " + maxUncompressedLength);
        }
        ByteBuf out = Unpooled.buffer(length, length);
        if (length == 0) {
            return out;
        }
        Array in = Array.of(compressed);
        int produced;
        try {
            produced = decompressor.decompress(in.bytes, in.offset, in.length, out.array(), out.arrayOffset(), length);
        } catch (LZ4Exception e) {
            throw new IllegalArgumentException("Malformed LZ4 data: " + e.getMessage(), e);
        }
        if (produced != length) {
            throw new IllegalArgumentException(
                    "LZ4 data decompressed to " + produced + " bytes, header declared " + length);
        }
        out.writerIndex(length);
        return out;
    }

    /** The readable bytes of a buffer as an array region, copied only when the buffer has no single backing array. */
    private record Array(byte[] bytes, int offset, int length) {
        static Array of(ByteBuf buf) {
            int length = buf.readableBytes();
            if (buf.hasArray()) {
                return new Array(buf.array(), buf.arrayOffset() + buf.readerIndex(), length);
            }
            return new Array(ByteBufUtil.getBytes(buf, buf.readerIndex(), length, false), 0, length);
        }
    }
}
