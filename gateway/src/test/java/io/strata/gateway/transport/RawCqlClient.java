package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.CrcMismatchException;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.Segment;
import com.datastax.oss.protocol.internal.SegmentCodec;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.Authenticate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal blocking CQL client over a plain socket, built on native-protocol's client codecs, that
 * lets tests speak the protocol byte for byte: unframed v3/v4/v5 frames (optionally LZ4), v5
 * segments (self-contained or sliced, optionally LZ4), and raw bytes. Reads time out after 10 s so a
 * server bug fails the test instead of hanging it. Not thread-safe.
 */
final class RawCqlClient implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 10_000;
    static final String CQL = "3.0.0";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final FrameCodec<ByteBuf> plainFrames =
            FrameCodec.defaultClient(ByteBufPrimitiveCodec.INSTANCE, Compressor.none());
    private final FrameCodec<ByteBuf> lz4Frames =
            FrameCodec.defaultClient(ByteBufPrimitiveCodec.INSTANCE, new Lz4Compressor(Integer.MAX_VALUE));
    private FrameCodec<ByteBuf> requestCodec = plainFrames;
    private SegmentCodec<ByteBuf> segments;
    private final ArrayDeque<Frame> decoded = new ArrayDeque<>();
    private CompositeByteBuf partial;
    private int segmentsReceived;
    private int slicesReceived;

    private RawCqlClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawCqlClient connect(int port) throws IOException {
        return new RawCqlClient(new Socket("127.0.0.1", port));
    }

    /** v3/v4 after STARTUP with COMPRESSION=lz4: request bodies are compressed from now on. */
    void compressFrames() {
        requestCodec = lz4Frames;
    }

    /** v5 after the STARTUP response: segment framing in both directions from now on. */
    void useSegments(boolean lz4) {
        segments = new SegmentCodec<>(ByteBufPrimitiveCodec.INSTANCE,
                lz4 ? new Lz4Compressor(Segment.MAX_PAYLOAD_LENGTH) : Compressor.none());
    }

    /** Sends STARTUP then a SASL PLAIN AUTH_RESPONSE; returns the answer to the latter. */
    Frame login(int version, String compression, String user, String password) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        options.put(Startup.CQL_VERSION_KEY, CQL);
        if (compression != null) {
            options.put(Startup.COMPRESSION_KEY, compression);
        }
        send(version, 0, new Startup(options));
        Frame challenge = receive();
        if (!(challenge.message instanceof Authenticate)) {
            throw new AssertionError("Expected AUTHENTICATE, got " + challenge.message);
        }
        if (version >= 5) {
            useSegments("lz4".equals(compression));
        } else if ("lz4".equals(compression)) {
            compressFrames();
        }
        send(version, 1, new AuthResponse(plain(user, password)));
        return receive();
    }

    /** {@link #login} that must succeed. */
    void authenticate(int version, String compression) throws IOException {
        Frame answer = login(version, compression, "token", FakeAuthenticator.GOOD_PASSWORD);
        if (!(answer.message instanceof AuthSuccess)) {
            throw new AssertionError("Expected AUTH_SUCCESS, got " + answer.message);
        }
    }

    static ByteBuffer plain(String user, String password) {
        return ByteBuffer.wrap(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    void send(int version, int stream, Message message) throws IOException {
        send(Frame.forRequest(version, stream, false, Frame.NO_PAYLOAD, message));
    }

    void send(Frame frame) throws IOException {
        sendAll(List.of(frame));
    }

    /** Sends frames back to back in one write (v5: small ones share segments). */
    void sendAll(List<Frame> frames) throws IOException {
        if (segments == null) {
            ByteBuf bytes = Unpooled.compositeBuffer(Integer.MAX_VALUE);
            for (Frame frame : frames) {
                ((CompositeByteBuf) bytes).addComponent(true, requestCodec.encode(frame));
            }
            writeRaw(ByteBufUtil.getBytes(bytes));
            return;
        }
        List<ByteBuf> envelopes = new ArrayList<>();
        for (Frame frame : frames) {
            envelopes.add(plainFrames.encode(frame));
        }
        writeRaw(ByteBufUtil.getBytes(toSegments(envelopes)));
    }

    private ByteBuf toSegments(List<ByteBuf> envelopes) {
        CompositeByteBuf wire = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        List<ByteBuf> batch = new ArrayList<>();
        int batchLength = 0;
        for (ByteBuf envelope : envelopes) {
            if (envelope.readableBytes() > Segment.MAX_PAYLOAD_LENGTH) {
                batchLength = emitBatch(batch, wire);
                while (envelope.isReadable()) {
                    emit(envelope.readSlice(Math.min(Segment.MAX_PAYLOAD_LENGTH, envelope.readableBytes())), false, wire);
                }
                continue;
            }
            if (batchLength + envelope.readableBytes() > Segment.MAX_PAYLOAD_LENGTH) {
                batchLength = emitBatch(batch, wire);
            }
            batch.add(envelope);
            batchLength += envelope.readableBytes();
        }
        emitBatch(batch, wire);
        return wire;
    }

    private int emitBatch(List<ByteBuf> batch, CompositeByteBuf wire) {
        if (!batch.isEmpty()) {
            emit(Unpooled.wrappedBuffer(batch.toArray(new ByteBuf[0])), true, wire);
            batch.clear();
        }
        return 0;
    }

    private void emit(ByteBuf payload, boolean selfContained, CompositeByteBuf wire) {
        List<Object> parts = new ArrayList<>();
        segments.encode(new Segment<>(Unpooled.copiedBuffer(payload), selfContained), parts);
        for (Object part : parts) {
            wire.addComponent(true, (ByteBuf) part);
        }
    }

    /** One v5 segment around arbitrary payload bytes, for corruption tests. */
    byte[] segmentBytes(byte[] payload, boolean selfContained) {
        CompositeByteBuf wire = Unpooled.compositeBuffer();
        emit(Unpooled.wrappedBuffer(payload), selfContained, wire);
        return ByteBufUtil.getBytes(wire);
    }

    byte[] encodeEnvelope(Frame frame) {
        return ByteBufUtil.getBytes(plainFrames.encode(frame));
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next response frame (v5: envelope), reading segments as needed. */
    Frame receive() throws IOException {
        if (segments == null) {
            byte[] header = new byte[FrameReader.HEADER_LENGTH];
            in.readFully(header);
            int bodyLength = ByteBuffer.wrap(header, 5, 4).getInt();
            byte[] frame = new byte[header.length + bodyLength];
            System.arraycopy(header, 0, frame, 0, header.length);
            in.readFully(frame, header.length, bodyLength);
            return lz4Frames.decode(Unpooled.wrappedBuffer(frame));
        }
        while (decoded.isEmpty()) {
            readSegment();
        }
        return decoded.poll();
    }

    private void readSegment() throws IOException {
        byte[] header = new byte[segments.headerLength() + SegmentCodec.CRC24_LENGTH];
        in.readFully(header);
        try {
            SegmentCodec.Header decodedHeader = segments.decodeHeader(Unpooled.wrappedBuffer(header));
            byte[] payloadAndCrc = new byte[decodedHeader.payloadLength + SegmentCodec.CRC32_LENGTH];
            in.readFully(payloadAndCrc);
            Segment<ByteBuf> segment = segments.decode(decodedHeader, Unpooled.wrappedBuffer(payloadAndCrc));
            segmentsReceived++;
            if (segment.isSelfContained) {
                while (segment.payload.isReadable()) {
                    decoded.add(plainFrames.decode(segment.payload));
                }
            } else {
                slicesReceived++;
                if (partial == null) {
                    partial = Unpooled.compositeBuffer(Integer.MAX_VALUE);
                }
                partial.addComponent(true, segment.payload);
                if (partial.readableBytes() >= FrameReader.HEADER_LENGTH
                        && partial.readableBytes() == FrameReader.HEADER_LENGTH + partial.getInt(5)) {
                    decoded.add(plainFrames.decode(partial));
                    partial = null;
                }
            }
        } catch (CrcMismatchException e) {
            throw new IOException("Server sent a corrupt segment", e);
        }
    }

    /** Reads raw bytes (for the obsolete-version reply, whose header no codec decodes). */
    byte[] receiveRaw(int length) throws IOException {
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** Whether the server has closed the connection (end of stream before the read timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    int segmentsReceived() {
        return segmentsReceived;
    }

    int slicesReceived() {
        return slicesReceived;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
