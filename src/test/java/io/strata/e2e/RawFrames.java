package io.strata.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Hand-built native-protocol frames (v4 framing) for tests that must send what no driver sends: oversized
 * headers, partial frames, bombs, garbage. Stateless.
 */
final class RawFrames {
    static final int V4 = 4;
    static final int ERROR = 0x00;
    static final int STARTUP = 0x01;
    static final int READY = 0x02;
    static final int AUTHENTICATE = 0x03;
    static final int OPTIONS = 0x05;
    static final int SUPPORTED = 0x06;
    static final int QUERY = 0x07;
    static final int RESULT = 0x08;
    static final int AUTH_RESPONSE = 0x0F;
    static final int AUTH_SUCCESS = 0x10;

    static final int PROTOCOL_ERROR = 0x000A;
    static final int AUTH_ERROR = 0x0100;
    static final int SERVER_ERROR = 0x0000;

    private RawFrames() {}

    /** A socket to the gateway from a given loopback address (127.0.0.0/8), so limits per address can be tested. */
    static Socket connect(String fromAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(fromAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(15_000);
        return s;
    }

    static byte[] header(int version, int flags, int stream, int opcode, long bodyLength) {
        return ByteBuffer.allocate(9).put((byte) version).put((byte) flags).putShort((short) stream)
                .put((byte) opcode).putInt((int) bodyLength).array();
    }

    static byte[] frame(int version, int flags, int stream, int opcode, byte[] body) {
        return concat(header(version, flags, stream, opcode, body.length), body);
    }

    static byte[] startup(String compression) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeShort(body, compression == null ? 1 : 2);
        writeString(body, "CQL_VERSION");
        writeString(body, "3.0.0");
        if (compression != null) {
            writeString(body, "COMPRESSION");
            writeString(body, compression);
        }
        return frame(V4, 0, 0, STARTUP, body.toByteArray());
    }

    static byte[] authResponse(int stream, String user, String password) {
        byte[] sasl = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return frame(V4, 0, stream, AUTH_RESPONSE, ByteBuffer.allocate(4 + sasl.length).putInt(sasl.length).put(sasl)
                .array());
    }

    static byte[] query(int stream, String cql) {
        byte[] text = cql.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(4 + text.length + 3);
        body.putInt(text.length).put(text).putShort((short) 0x0001).put((byte) 0); // ONE, no flags
        return frame(V4, 0, stream, QUERY, body.array());
    }

    /** A response frame: its header fields and body. */
    record Response(int version, int stream, int opcode, byte[] body) {
        int errorCode() {
            return opcode == ERROR ? ByteBuffer.wrap(body).getInt() : -1;
        }

        String errorMessage() {
            ByteBuffer b = ByteBuffer.wrap(body, 4, body.length - 4);
            int n = b.getShort() & 0xFFFF;
            return new String(body, 6, n, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Response[opcode=0x" + Integer.toHexString(opcode) + ", stream=" + stream
                    + (opcode == ERROR ? ", error=0x" + Integer.toHexString(errorCode()) + " " + errorMessage() : "")
                    + "]";
        }
    }

    /** The next response, or null at end of stream. */
    static Response read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[9];
        int first = data.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        data.readFully(header, 1, 8);
        ByteBuffer h = ByteBuffer.wrap(header);
        int length = h.getInt(5);
        if (length < 0 || length > 64 * 1024 * 1024) {
            throw new IOException("implausible response length " + length);
        }
        byte[] body = new byte[length];
        data.readFully(body);
        if ((header[1] & 0x01) != 0) { // LZ4: 4-byte uncompressed length, then the block
            int inflated = ByteBuffer.wrap(body).getInt();
            body = net.jpountz.lz4.LZ4Factory.safeInstance().fastDecompressor().decompress(body, 4, inflated);
        }
        return new Response(header[0] & 0x7F, h.getShort(2), header[4] & 0xFF, body);
    }

    /** Whether the server closed the socket (end of stream) within the socket's read timeout. */
    static boolean closedByServer(Socket s) {
        try {
            while (true) {
                if (read(s.getInputStream()) == null) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeShort(out, b.length);
        out.write(b, 0, b.length);
    }
}
