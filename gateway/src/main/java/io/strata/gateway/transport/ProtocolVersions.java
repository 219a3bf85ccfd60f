package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Which native protocol versions the endpoint speaks (v3, v4, v5) and how it refuses the others so
 * that drivers downgrade: a PROTOCOL_ERROR whose message contains "Invalid or unsupported protocol
 * version" (the text the Java, Python and Node.js drivers look for), on the request's stream, in a
 * version the client can decode. As in Cassandra, the obsolete v1/v2 are answered in their own
 * version (their 8-byte header) and anything newer in the highest version we support. A v5 frame
 * carrying the USE_BETA flag comes from a client that implements the pre-release v5 (no segment
 * framing), so it is refused in v4, which that client then falls back to. Stateless.
 */
final class ProtocolVersions {
    static final int MIN = ProtocolConstants.Version.V3;
    static final int MAX = ProtocolConstants.Version.V5;
    static final String SUPPORTED_LIST = "3/v3, 4/v4, 5/v5";

    private ProtocolVersions() {}

    static boolean isSupported(int version) {
        return version >= MIN && version <= MAX;
    }

    /** Whether the version byte needs the obsolete 8-byte header (one-byte stream id). */
    static boolean isObsolete(int version) {
        return version == 1 || version == 2;
    }

    /** The version an unsupported request is answered in. */
    static int responseVersionFor(int requested, boolean beta) {
        if (isObsolete(requested)) {
            return requested;
        }
        if (requested == MAX && beta) {
            return MAX - 1;
        }
        return MAX;
    }

    static String unsupportedMessage(int requested, boolean beta) {
        String requestedName = requested + (beta ? "/v" + requested + "-beta" : "");
        return "Invalid or unsupported protocol version (" + requestedName + "); supported versions are ("
                + SUPPORTED_LIST + ")";
    }

    /**
     * An ERROR frame in the v1/v2 layout: version, flags, a one-byte stream, opcode, body length,
     * then the ERROR body (an [int] code and a [string] message), which no version has changed.
     */
    static ByteBuf obsoleteErrorFrame(int version, int streamId, int code, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer(8 + 4 + 2 + text.length);
        out.writeByte(0x80 | version);
        out.writeByte(0);
        out.writeByte(streamId);
        out.writeByte(ProtocolConstants.Opcode.ERROR);
        out.writeInt(4 + 2 + text.length);
        out.writeInt(code);
        out.writeShort(text.length);
        out.writeBytes(text);
        return out;
    }
}
