package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.PrimitiveCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The native-protocol {@link PrimitiveCodec} over Netty {@link ByteBuf}s, as the transport uses them:
 * every buffer is an unpooled heap buffer whose memory belongs to the garbage collector.
 *
 * <p>Reference counting is therefore deliberately inert: {@link #release} does nothing and
 * {@link #readRetainedSlice} returns a plain slice. The library's codecs release buffers at points
 * that assume exclusive ownership, while the transport keeps slices of one read buffer alive across
 * several frames; with inert counting neither side can free memory the other still reads. Never hand
 * this codec pooled or direct buffers.
 *
 * <p>{@link #readBytes} and {@link #readShortBytes} copy: request values outlive the read buffer
 * (the executor may keep them in a memtable), and a 20-byte value must not pin a 128 KiB segment.
 *
 * <p>Stateless and thread-safe.
 */
final class ByteBufPrimitiveCodec implements PrimitiveCodec<ByteBuf> {
    static final ByteBufPrimitiveCodec INSTANCE = new ByteBufPrimitiveCodec();

    private ByteBufPrimitiveCodec() {}

    @Override
    public ByteBuf allocate(int size) {
        return Unpooled.buffer(size);
    }

    @Override
    public void release(ByteBuf toRelease) {
        // inert on purpose, see the class comment
    }

    @Override
    public int sizeOf(ByteBuf toMeasure) {
        return toMeasure.readableBytes();
    }

    @Override
    public ByteBuf concat(ByteBuf left, ByteBuf right) {
        return Unpooled.wrappedBuffer(left, right);
    }

    @Override
    public void markReaderIndex(ByteBuf source) {
        source.markReaderIndex();
    }

    @Override
    public void resetReaderIndex(ByteBuf source) {
        source.resetReaderIndex();
    }

    @Override
    public byte readByte(ByteBuf source) {
        return source.readByte();
    }

    @Override
    public int readInt(ByteBuf source) {
        return source.readInt();
    }

    @Override
    public int readInt(ByteBuf source, int offset) {
        return source.getInt(source.readerIndex() + offset);
    }

    @Override
    public InetAddress readInetAddr(ByteBuf source) {
        int length = source.readUnsignedByte();
        byte[] address = new byte[length];
        source.readBytes(address);
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Invalid inet address of length " + length, e);
        }
    }

    @Override
    public long readLong(ByteBuf source) {
        return source.readLong();
    }

    @Override
    public int readUnsignedShort(ByteBuf source) {
        return source.readUnsignedShort();
    }

    @Override
    public ByteBuffer readBytes(ByteBuf source) {
        int length = source.readInt();
        if (length == -2) {
            // protocol v4+: an unset bound value (the statement leaves that column alone), not a null
            return com.datastax.oss.protocol.internal.ProtocolConstants.UNSET_VALUE;
        }
        if (length < 0) {
            return null;
        }
        checkReadable(source, length);
        byte[] bytes = new byte[length];
        source.readBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public byte[] readShortBytes(ByteBuf source) {
        int length = source.readUnsignedShort();
        checkReadable(source, length);
        byte[] bytes = new byte[length];
        source.readBytes(bytes);
        return bytes;
    }

    @Override
    public String readString(ByteBuf source) {
        return readUtf8(source, source.readUnsignedShort());
    }

    @Override
    public String readLongString(ByteBuf source) {
        int length = source.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("Negative long string length " + length);
        }
        return readUtf8(source, length);
    }

    private static String readUtf8(ByteBuf source, int length) {
        checkReadable(source, length);
        String value = source.toString(source.readerIndex(), length, StandardCharsets.UTF_8);
        source.skipBytes(length);
        return value;
    }

    // a declared length is checked before allocating, so a lying length cannot request gigabytes
    private static void checkReadable(ByteBuf source, int length) {
        if (length > source.readableBytes()) {
            throw new IndexOutOfBoundsException(
                    "Declared length " + length + " exceeds the " + source.readableBytes() + " remaining bytes");
        }
    }

    @Override
    public ByteBuf readRetainedSlice(ByteBuf source, int sliceLength) {
        return source.readSlice(sliceLength);
    }

    @Override
    public void updateCrc(ByteBuf source, CRC32 crc) {
        // nioBuffers handles composites (a batched segment payload) as well as plain buffers
        for (ByteBuffer part : source.nioBuffers(source.readerIndex(), source.readableBytes())) {
            crc.update(part);
        }
    }

    @Override
    public void writeByte(byte b, ByteBuf dest) {
        dest.writeByte(b);
    }

    @Override
    public void writeInt(int i, ByteBuf dest) {
        dest.writeInt(i);
    }

    @Override
    public void writeInetAddr(InetAddress address, ByteBuf dest) {
        byte[] bytes = address.getAddress();
        dest.writeByte(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeLong(long l, ByteBuf dest) {
        dest.writeLong(l);
    }

    @Override
    public void writeUnsignedShort(int i, ByteBuf dest) {
        dest.writeShort(i);
    }

    @Override
    public void writeString(String s, ByteBuf dest) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("String of " + bytes.length + " bytes does not fit a [string]");
        }
        dest.writeShort(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeLongString(String s, ByteBuf dest) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        dest.writeInt(bytes.length);
        dest.writeBytes(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes, ByteBuf dest) {
        if (bytes == null) {
            dest.writeInt(-1);
        } else {
            dest.writeInt(bytes.remaining());
            dest.writeBytes(bytes.duplicate());
        }
    }

    @Override
    public void writeBytes(byte[] bytes, ByteBuf dest) {
        if (bytes == null) {
            dest.writeInt(-1);
        } else {
            dest.writeInt(bytes.length);
            dest.writeBytes(bytes);
        }
    }

    @Override
    public void writeShortBytes(byte[] bytes, ByteBuf dest) {
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("Byte array of " + bytes.length + " does not fit [short bytes]");
        }
        dest.writeShort(bytes.length);
        dest.writeBytes(bytes);
    }
}
