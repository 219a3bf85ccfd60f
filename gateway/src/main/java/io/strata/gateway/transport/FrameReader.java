package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import io.netty.buffer.ByteBuf;

/**
 * Cuts unframed (v3/v4, and v5 before its handshake ends) frames out of the bytes received so far,
 * checking the header before the body arrives: a response-direction frame, an unsupported version
 * or a body longer than the limit are {@link ProtocolViolation}s right away, so an oversize request
 * is refused without buffering it. Decoding the body is the connection's job.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
final class FrameReader {
    static final int HEADER_LENGTH = 9;
    private static final int OBSOLETE_HEADER_LENGTH = 8;

    private int maxBodyLength;
    private int bytesWanted;

    FrameReader(int maxBodyLength) {
        this.maxBodyLength = maxBodyLength;
    }

    /** Changes the body size limit (raised once the connection authenticates). */
    void limit(int maxBodyLength) {
        this.maxBodyLength = maxBodyLength;
    }

    /**
     * @return the next whole frame (header included) as a slice of {@code in}, advancing its reader
     *     index; or null when more bytes are needed (see {@link #bytesWanted()})
     * @throws ProtocolViolation if the header is unacceptable
     */
    ByteBuf next(ByteBuf in) {
        int readable = in.readableBytes();
        int start = in.readerIndex();
        if (readable < 1) {
            bytesWanted = HEADER_LENGTH;
            return null;
        }
        int versionByte = in.getUnsignedByte(start);
        int version = versionByte & 0x7F;
        if (ProtocolVersions.isObsolete(version)) {
            if (readable < OBSOLETE_HEADER_LENGTH) {
                bytesWanted = OBSOLETE_HEADER_LENGTH;
                return null;
            }
            throw new ProtocolViolation(version, in.getByte(start + 2),
                    ProtocolVersions.unsupportedMessage(version, false));
        }
        if (readable < HEADER_LENGTH) {
            bytesWanted = HEADER_LENGTH;
            return null;
        }
        int flags = in.getUnsignedByte(start + 1);
        int streamId = in.getShort(start + 2);
        boolean beta = (flags & ProtocolConstants.FrameFlag.USE_BETA) != 0;
        if (!ProtocolVersions.isSupported(version) || (beta && version == ProtocolVersions.MAX)) {
            throw new ProtocolViolation(ProtocolVersions.responseVersionFor(version, beta), streamId,
                    ProtocolVersions.unsupportedMessage(version, beta));
        }
        if ((versionByte & 0x80) != 0) {
            throw new ProtocolViolation(version, streamId, "Received a response frame (version byte 0x"
                    + Integer.toHexString(versionByte) + ") from a client");
        }
        long bodyLength = in.getUnsignedInt(start + 5);
        checkBodyLength(bodyLength, version, streamId, maxBodyLength);
        int frameLength = HEADER_LENGTH + (int) bodyLength;
        if (readable < frameLength) {
            bytesWanted = frameLength;
            return null;
        }
        bytesWanted = 0;
        return in.readSlice(frameLength);
    }

    /** How many bytes, counted from the reader index, the last incomplete {@link #next} call needed. */
    int bytesWanted() {
        return bytesWanted;
    }

    static void checkBodyLength(long bodyLength, int version, int streamId, int maxBodyLength) {
        if (bodyLength > maxBodyLength) {
            throw new ProtocolViolation(version, streamId, "Request is too big: length " + bodyLength
                    + " exceeds maximum allowed length " + maxBodyLength);
        }
    }
}
