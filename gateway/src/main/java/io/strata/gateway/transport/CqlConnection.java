package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.ProtocolConstants.EventType;
import com.datastax.oss.protocol.internal.ProtocolConstants.Opcode;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.Authenticate;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Uni;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaVisibility;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.session.WireMessages;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One client connection: byte framing in both directions, the handshake (OPTIONS, STARTUP, SASL
 * PLAIN authentication), REGISTER and schema events, and the dispatch of QUERY, PREPARE, EXECUTE and
 * BATCH to the {@link io.strata.cql.session.RequestHandler}.
 *
 * <p><b>Lifecycle.</b> The first frame fixes the protocol version. STARTUP negotiates compression and
 * is answered with AUTHENTICATE; in v5 that answer is the last unframed message and both directions
 * switch to segment framing right after it (spec section 2.3.1; the Java and Python drivers switch on
 * AUTHENTICATE too). AUTH_RESPONSE runs the {@link io.strata.tenancy.Authenticator} on a worker
 * thread and yields a {@link ClientState}; requests before that are protocol errors, as in
 * Cassandra. A protocol violation is answered with a PROTOCOL_ERROR and the connection closes once
 * that answer is written.
 *
 * <p><b>Transport security.</b> When the port requires TLS, a connection whose first frame did not
 * arrive over a finished TLS handshake is answered with a PROTOCOL_ERROR naming the requirement and
 * closed. A verified client certificate's principal ({@link TlsPeer}) is added to the login's audit
 * source; authentication itself stays the token's.
 *
 * <p><b>Flow control.</b> Requests run concurrently and complete in any order, on any thread; each
 * completion is queued and the queue is drained once per event-loop turn into a single write, so
 * responses finishing together share one flush (and, in v5, one segment). Reading stops while more
 * than {@code maxRequestsPerConnection} requests are in flight (until half of them have completed),
 * while authentication runs and while the socket's write queue is full; bytes already read stay
 * buffered, at most one frame or one segment's worth. Every queue is thereby bounded: the response
 * queue by the in-flight limit, and schema events by closing a connection that accumulates more
 * than {@value #MAX_EVENTS_WHILE_BLOCKED} of them while not reading its socket. Across connections, each request's
 * frame body counts against the gateway's budget of request bytes in flight ({@link Admission}) from its admission
 * until its answer is queued, even if the connection closed meanwhile; a request that does not fit is answered
 * OVERLOADED without running.
 *
 * <p><b>Tracing and warnings.</b> A request's tracing flag reaches the request handler, and its response
 * carries the tracing session id and any warnings (from protocol v4). Custom payloads and the v5
 * COMPRESSED envelope flag are accepted and ignored.
 *
 * <p><b>Threading.</b> Everything except {@link #complete} and {@link #onSchemaChange} runs on the
 * connection's event loop; those two only touch the concurrent outbound queue.
 */
final class CqlConnection {
    private static final Logger LOG = Logger.getLogger(CqlConnection.class);

    static final String PASSWORD_AUTHENTICATOR = "org.apache.cassandra.auth.PasswordAuthenticator";
    static final String CQL_VERSION = "3.4.7";
    static final int MAX_EVENTS_WHILE_BLOCKED = 1024;
    private static final int MIN_CUMULATION_CAPACITY = 16 * 1024;
    private static final Set<String> EVENT_TYPES =
            Set.of(EventType.SCHEMA_CHANGE, EventType.TOPOLOGY_CHANGE, EventType.STATUS_CHANGE);
    private static final Supported SUPPORTED = new Supported(supportedOptions());

    private final NetSocket socket;
    private final Context context;
    private final ServerResources resources;
    private final String address;
    private final FrameReader frameReader;
    private final OutboundEncoder encoder;
    private final int maxInFlight;
    private final int resumeInFlight;
    private final Queue<Outbound> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ArrayDeque<ByteBuf> envelopes = new ArrayDeque<>();

    // event-loop state
    private ByteBuf cumulation = Unpooled.EMPTY_BUFFER;
    private boolean cumulationOwned;
    private SegmentReader segmentReader;
    private int version = -1;
    private TlsPeer peer; // decided at the first frame: the TLS handshake, if any, is over by then
    private boolean started;
    private boolean frameCompression;
    private ClientState clientState;
    private boolean authenticating;
    private int inFlight;
    private boolean inFlightPaused;
    private boolean writePaused;
    private boolean socketPaused;
    private boolean processing;
    private int eventsWhileBlocked;
    private int failedLogins;
    private long loginTimer = -1;
    private AutoCloseable schemaSubscription;
    private boolean closing;
    private boolean closeAfterFlush;
    private volatile boolean closed;

    /**
     * @param address the client's address as {@link Admission} counted it; released when the socket closes
     */
    CqlConnection(NetSocket socket, Context context, ServerResources resources, String address) {
        this.socket = socket;
        this.context = context;
        this.resources = resources;
        this.address = address;
        this.frameReader = new FrameReader(resources.options().preAuthMaxFrameSize());
        this.encoder = new OutboundEncoder(resources.codecs());
        this.maxInFlight = resources.options().maxRequestsPerConnection();
        this.resumeInFlight = maxInFlight / 2;
    }

    /** Wires the socket's handlers; called once, on the event loop, when the connection is accepted. */
    void start() {
        socket.handler(this::onData);
        socket.drainHandler(ignored -> onWritable());
        socket.exceptionHandler(this::onException);
        socket.closeHandler(ignored -> onClosed());
        loginTimer = context.owner().setTimer(resources.options().frontDoor().loginTimeout().toMillis(),
                ignored -> onLoginTimeout());
        LOG.debugf("CQL connection from %s", socket.remoteAddress());
    }

    private void onLoginTimeout() {
        loginTimer = -1;
        if (clientState == null && !closing) {
            LOG.debugf("Closing CQL connection from %s: not authenticated within %s", socket.remoteAddress(),
                    resources.options().frontDoor().loginTimeout());
            closing = true;
            socket.close();
        }
    }

    /** Closes the socket; safe from any thread. The future completes once it is closed. */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(ignored -> {
            closing = true;
            socket.close().onComplete(done);
        });
        return done.future();
    }

    // ---------------------------------------------------------------- inbound

    // Buffer.getByteBuf() and Buffer.buffer(ByteBuf) are Vert.x 4's only zero-copy bridges to Netty
    // (deprecated in 4.5 ahead of Vert.x 5's BufferInternal), hence the suppressions here and in flush.
    @SuppressWarnings("deprecation")
    private void onData(Buffer data) {
        if (closing) {
            return;
        }
        append(data.getByteBuf());
        process();
    }

    // Append-only: bytes already sliced into pending envelopes are never moved or overwritten.
    private void append(ByteBuf chunk) {
        if (!chunk.isReadable()) {
            return;
        }
        if (!chunk.hasArray()) {
            chunk = Unpooled.copiedBuffer(chunk); // keep the all-heap invariant of ByteBufPrimitiveCodec
        }
        if (!cumulation.isReadable()) {
            cumulation = chunk;
            cumulationOwned = false;
            return;
        }
        if (cumulationOwned && cumulation.writableBytes() >= chunk.readableBytes()) {
            cumulation.writeBytes(chunk);
            return;
        }
        int needed = cumulation.readableBytes() + chunk.readableBytes();
        int wanted = segmentReader != null ? segmentReader.bytesWanted() : frameReader.bytesWanted();
        // grow with what arrived (doubling, up to what the frame needs), never to a length a header announces:
        // a client that announces 16 MiB and sends 9 bytes holds 16 KiB, not 16 MiB
        long grown = Math.max(MIN_CUMULATION_CAPACITY, 2L * needed);
        int capacity = (int) Math.max(needed, Math.min(wanted, grown));
        ByteBuf fresh = Unpooled.buffer(capacity);
        fresh.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes());
        fresh.writeBytes(chunk);
        cumulation = fresh;
        cumulationOwned = true;
    }

    private void process() {
        if (processing) {
            return; // re-entered from a handler; the outer loop picks up where this call would
        }
        processing = true;
        try {
            while (!closing && !readBlocked()) {
                ByteBuf envelope = nextEnvelope();
                if (envelope == null) {
                    break;
                }
                handle(envelope);
            }
        } catch (ProtocolViolation violation) {
            fail(violation);
        } catch (RuntimeException bug) {
            LOG.errorf(bug, "Closing CQL connection from %s after an internal error", socket.remoteAddress());
            closing = true;
            socket.close();
        } finally {
            processing = false;
        }
        if (!cumulation.isReadable()) {
            cumulation = Unpooled.EMPTY_BUFFER;
            cumulationOwned = false;
        }
        updateReadInterest();
    }

    private ByteBuf nextEnvelope() {
        if (segmentReader == null) {
            return frameReader.next(cumulation);
        }
        while (envelopes.isEmpty()) {
            if (!segmentReader.next(cumulation, envelopes)) {
                return null;
            }
        }
        return envelopes.poll();
    }

    private void handle(ByteBuf envelope) {
        int start = envelope.readerIndex();
        int versionByte = envelope.getUnsignedByte(start);
        int flags = envelope.getUnsignedByte(start + 1);
        int streamId = envelope.getShort(start + 2);
        int frameVersion = versionByte & 0x7F;
        if (version < 0) {
            version = frameVersion; // FrameReader has vetted the first frame's version
            peer = TlsPeer.of(pipeline());
            if (resources.security().required() && !peer.secured()) {
                // fail closed: whatever let plaintext through, no request of this connection runs
                throw new ProtocolViolation(streamId, TransportSecurity.PLAINTEXT_REFUSAL);
            }
        } else if (frameVersion != version) {
            throw new ProtocolViolation(streamId, "Invalid message version. Got " + frameVersion
                    + " but previous messages on this connection had version " + version);
        }
        if ((versionByte & 0x80) != 0) {
            throw new ProtocolViolation(streamId, "Received a response envelope from a client");
        }
        FrameCodec<ByteBuf> codec = resources.codecs().frames;
        if (segmentReader == null && (flags & ProtocolConstants.FrameFlag.COMPRESSED) != 0) {
            if (!frameCompression) {
                throw new ProtocolViolation(streamId, "Received a compressed frame but no compression was negotiated");
            }
            // before login a body inflates to no more than the pre-authentication limit
            codec = clientState == null ? resources.codecs().lz4FramesPreAuth : resources.codecs().lz4Frames;
        }
        Frame frame;
        try {
            frame = codec.decode(envelope);
        } catch (RuntimeException e) {
            throw new ProtocolViolation(streamId, "Invalid or malformed message (opcode 0x"
                    + Integer.toHexString(envelope.getUnsignedByte(start + 4)) + "): " + e.getMessage());
        }
        dispatch(frame);
    }

    private void dispatch(Frame frame) {
        Message message = frame.message;
        int stream = frame.streamId;
        switch (message.opcode) {
            case Opcode.OPTIONS:
                respond(stream, SUPPORTED);
                break;
            case Opcode.STARTUP:
                onStartup(stream, (Startup) message);
                break;
            case Opcode.AUTH_RESPONSE:
                onAuthResponse(stream, (AuthResponse) message);
                break;
            case Opcode.REGISTER:
                requireAuthenticated(stream, "REGISTER");
                onRegister(stream, (Register) message);
                break;
            case Opcode.QUERY:
            case Opcode.PREPARE:
            case Opcode.EXECUTE:
            case Opcode.BATCH:
                requireAuthenticated(stream, opcodeName(message.opcode));
                // frame.size counts the header and, for an LZ4 frame, the body as inflated: what decoding held
                execute(stream, message, frame.tracing, frame.size - FrameReader.HEADER_LENGTH);
                break;
            default:
                throw new ProtocolViolation(stream, "Unexpected message opcode 0x" + Integer.toHexString(message.opcode));
        }
    }

    private void requireAuthenticated(int stream, String what) {
        if (clientState == null) {
            throw new ProtocolViolation(stream, "Unexpected message " + what
                    + (started ? ", expecting AUTH_RESPONSE" : ", expecting STARTUP or OPTIONS"));
        }
    }

    private void onStartup(int stream, Startup startup) {
        if (started) {
            throw new ProtocolViolation(stream, "Unexpected message STARTUP, the connection is already initialized");
        }
        String cqlVersion = startup.options.get(Startup.CQL_VERSION_KEY);
        if (cqlVersion == null) {
            throw new ProtocolViolation(stream, "Missing value CQL_VERSION in STARTUP message");
        }
        if (!cqlVersion.startsWith("3.")) {
            throw new ProtocolViolation(stream, "Unsupported CQL_VERSION " + cqlVersion + "; supported: " + CQL_VERSION);
        }
        String compression = startup.options.get(Startup.COMPRESSION_KEY);
        boolean lz4 = false;
        if (compression != null && !compression.isEmpty()) {
            if (!"lz4".equalsIgnoreCase(compression)) {
                throw new ProtocolViolation(stream,
                        "Unsupported compression algorithm: " + compression + "; supported: lz4");
            }
            lz4 = true;
        }
        started = true;
        flush(); // anything answered before STARTUP keeps the pre-STARTUP encoding
        Authenticate challenge = new Authenticate(PASSWORD_AUTHENTICATOR);
        if (version >= ProtocolConstants.Version.V5) {
            respond(stream, challenge);
            flush(); // the STARTUP response is the last unframed message
            encoder.useSegments(lz4);
            int preAuth = resources.options().preAuthMaxFrameSize();
            segmentReader = new SegmentReader(
                    lz4 ? resources.codecs().lz4Segments : resources.codecs().segments, preAuth);
            segmentReader.limit(preAuth, preAuth + FrameReader.HEADER_LENGTH);
        } else {
            if (lz4) {
                frameCompression = true;
                encoder.compressFrames();
            }
            respond(stream, challenge);
        }
    }

    private void onAuthResponse(int stream, AuthResponse response) {
        if (!started) {
            throw new ProtocolViolation(stream, "Unexpected message AUTH_RESPONSE, expecting STARTUP or OPTIONS");
        }
        if (clientState != null) {
            throw new ProtocolViolation(stream, "Unexpected message AUTH_RESPONSE, the connection is already authenticated");
        }
        SaslPlain credentials;
        try {
            FrontDoor limits = resources.options().frontDoor();
            credentials = SaslPlain.parse(response.token, limits.maxUsernameBytes(), limits.maxPasswordBytes());
        } catch (AuthenticationException e) {
            refuseLogin(stream, e.getMessage());
            return;
        }
        authenticating = true; // holds further input until the outcome is known
        Future<TenantContext> outcome = context.executeBlocking(
                () -> resources.authenticator().authenticate(credentials.username(), credentials.password(), auditSource()),
                false);
        outcome.onComplete(result -> onAuthenticated(stream, result));
    }

    private void onAuthenticated(int stream, AsyncResult<TenantContext> result) {
        authenticating = false;
        if (closing) {
            return;
        }
        if (result.succeeded() && result.result() != null) {
            String tenant = result.result().tenantId();
            if (!resources.admission().tryLogin(tenant)) {
                LOG.warnf("Refused a login of tenant %s from %s: it has %d connections open", tenant,
                        socket.remoteAddress(), resources.options().frontDoor().maxConnectionsPerTenant());
                respond(stream, new Error(ErrorCode.AUTH_ERROR, "Tenant " + tenant + " has the maximum of "
                        + resources.options().frontDoor().maxConnectionsPerTenant()
                        + " connections open; close some (or lower the driver's pool size) and retry"));
                closeAfterAnswers();
                return;
            }
            clientState = new ClientState(result.result(), version, remoteAddress());
            cancelLoginTimer();
            frameReader.limit(resources.options().maxFrameSize());
            if (segmentReader != null) {
                segmentReader.limit(resources.options().maxFrameSize(), Integer.MAX_VALUE);
            }
            LOG.debugf("CQL connection from %s authenticated for tenant %s", socket.remoteAddress(), tenant);
            respond(stream, new AuthSuccess(null));
        } else if (result.cause() instanceof AuthenticationException) {
            refuseLogin(stream, result.cause().getMessage());
        } else {
            String id = correlationId();
            LOG.errorf(result.cause(), "Authenticator failed unexpectedly for %s [%s]", socket.remoteAddress(), id);
            respond(stream, new Error(ErrorCode.SERVER_ERROR,
                    "Authentication failed: internal server error (correlation id " + id + ")"));
        }
        process();
    }

    /** Answers a failed login; the last allowed attempt also closes the connection. */
    private void refuseLogin(int stream, String message) {
        failedLogins++;
        int max = resources.options().frontDoor().maxAuthAttempts();
        if (failedLogins >= max) {
            respond(stream, new Error(ErrorCode.AUTH_ERROR, message + " (" + failedLogins
                    + " failed attempts, the most a connection may make: closing it)"));
            closeAfterAnswers();
        } else {
            respond(stream, new Error(ErrorCode.AUTH_ERROR, message));
        }
    }

    /** Closes once what is queued is written; nothing more is read. */
    private void closeAfterAnswers() {
        closing = true;
        closeAfterFlush = true;
        flush();
    }

    private void cancelLoginTimer() {
        if (loginTimer >= 0) {
            context.owner().cancelTimer(loginTimer);
            loginTimer = -1;
        }
    }

    private void onRegister(int stream, Register register) {
        for (String type : register.eventTypes) {
            if (!EVENT_TYPES.contains(type)) {
                respond(stream, new Error(ErrorCode.PROTOCOL_ERROR, "Invalid event type: " + type));
                return;
            }
        }
        // topology and status never change in a single-endpoint cluster, so only schema events flow
        if (register.eventTypes.contains(EventType.SCHEMA_CHANGE) && schemaSubscription == null) {
            // the policy is captured here: events arrive on other threads
            AccessPolicy policy = clientState.tenant().policy();
            schemaSubscription = resources.schemaEvents()
                    .subscribe(clientState.tenant().tenantId(), event -> onSchemaChange(event, policy));
        }
        respond(stream, new Ready());
    }

    /** @param bytes the request's frame body size, charged to the gateway's budget of request bytes in flight */
    private void execute(int stream, Message request, boolean tracing, int bytes) {
        String tenant = clientState.tenant().tenantId();
        String withdrawn = resources.authenticator().withdrawn(clientState.tenant());
        if (withdrawn != null) {
            respond(stream, new Error(ErrorCode.AUTH_ERROR, withdrawn));
            closeAfterAnswers();
            return;
        }
        java.time.Instant validUntil = clientState.tenant().validUntil();
        if (!resources.clock().instant().isBefore(validUntil)) {
            // the driver reconnects and logs in again with the credentials it holds now
            respond(stream, new Error(ErrorCode.AUTH_ERROR, "The token of this connection expired at " + validUntil
                    + "; reconnect with a fresh token"));
            closeAfterAnswers();
            return;
        }
        if (resources.admission().draining()) {
            // drivers retry OVERLOADED on another node (idempotent requests) or report it; nothing was executed
            respond(stream, new Error(ErrorCode.OVERLOADED, "This gateway is shutting down; retry on another one"));
            return;
        }
        String refusal = resources.admission().tryStartRequest(tenant, bytes);
        if (refusal != null) {
            // Cassandra's answer to a node over its request limits; drivers retry it on another node or later
            respond(stream, new Error(ErrorCode.OVERLOADED, refusal));
            return;
        }
        inFlight++;
        if (inFlight >= maxInFlight) {
            inFlightPaused = true;
        }
        Uni<RequestHandler.Response> answer;
        try {
            answer = resources.requestHandler().handle(clientState, new RequestHandler.Request(request, tracing));
        } catch (RuntimeException e) {
            complete(stream, tenant, bytes, null, e);
            return;
        }
        if (answer == null) {
            complete(stream, tenant, bytes, null, new IllegalStateException("RequestHandler returned no response"));
            return;
        }
        // Mutiny delivers exactly one of the two, so the admission is released once; also after the connection
        // closed, since the handler holds the request until it ends
        answer.subscribe().with(response -> complete(stream, tenant, bytes, response, null),
                failure -> complete(stream, tenant, bytes, null, failure));
    }

    /** Releases a request's admission and queues its answer; any thread. */
    private void complete(int stream, String tenant, int bytes, RequestHandler.Response reply, Throwable failure) {
        resources.admission().endRequest(tenant, bytes);
        Message response = reply == null ? null : reply.message();
        Message answer;
        if (failure != null) {
            // the details stay in the log: clients see only an id to quote
            String id = correlationId();
            LOG.errorf(unwrap(failure), "Request on stream %d from %s failed [%s]", stream, socket.remoteAddress(), id);
            answer = new Error(ErrorCode.SERVER_ERROR, "Internal server error (correlation id " + id + ")");
        } else if (response == null || !response.isResponse) {
            String id = correlationId();
            LOG.errorf("RequestHandler answered stream %d with %s [%s]", stream, response, id);
            answer = new Error(ErrorCode.SERVER_ERROR, "Internal server error (correlation id " + id + ")");
        } else {
            enqueue(new Outbound(stream, response, -1, true, reply.tracingId(), reply.warnings(), reply.customPayload()));
            return;
        }
        enqueue(new Outbound(stream, answer, -1, true));
    }

    /** A schema change of this connection's tenant; any thread. Changes its token cannot see are not told. */
    private void onSchemaChange(SchemaEvent event, AccessPolicy policy) {
        if (!closed && SchemaVisibility.visible(event, policy)) {
            enqueue(new Outbound(-1, WireMessages.event(event), -1, false));
        }
    }

    private void respond(int stream, Message message) {
        enqueue(new Outbound(stream, message, -1, false));
    }

    // ---------------------------------------------------------------- outbound

    private void enqueue(Outbound item) {
        outbound.add(item);
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(ignored -> drain());
        }
    }

    private void drain() {
        drainScheduled.set(false);
        flush();
        process(); // completions may have lifted the in-flight pause
    }

    /** Encodes and writes everything queued, as one buffer. */
    @SuppressWarnings("deprecation")
    private void flush() {
        if (closed || (closing && !closeAfterFlush)) {
            outbound.clear();
            return;
        }
        List<ByteBuf> encoded = new ArrayList<>();
        int completed = 0;
        boolean eventOverflow = false;
        Outbound item;
        while ((item = outbound.poll()) != null) {
            if (item.completesRequest()) {
                completed++;
            }
            if (item.isEvent() && writePaused && ++eventsWhileBlocked > MAX_EVENTS_WHILE_BLOCKED) {
                eventOverflow = true;
                continue;
            }
            ByteBuf bytes = encode(item);
            if (bytes != null) {
                encoded.add(bytes);
            }
        }
        inFlight -= completed;
        if (inFlightPaused && inFlight <= resumeInFlight) {
            inFlightPaused = false;
        }
        Future<Void> written = encoded.isEmpty() ? null : socket.write(Buffer.buffer(encoder.pack(encoded)));
        if (closeAfterFlush) {
            closeAfterFlush = false; // later completions are dropped: closing is set
            if (written == null) {
                socket.close();
            } else {
                written.onComplete(ignored -> socket.close());
            }
        } else if (eventOverflow) {
            LOG.warnf("Closing CQL connection from %s: it stopped reading while %d schema events queued up",
                    socket.remoteAddress(), eventsWhileBlocked);
            closing = true;
            socket.close();
        } else if (written != null && socket.writeQueueFull()) {
            writePaused = true;
        }
    }

    private ByteBuf encode(Outbound item) {
        int responseVersion = item.version() >= 0 ? item.version() : (version >= 0 ? version : ProtocolVersions.MAX);
        if (ProtocolVersions.isObsolete(responseVersion)) {
            Error error = (Error) item.message();
            return ProtocolVersions.obsoleteErrorFrame(responseVersion, item.streamId(), error.code, error.message);
        }
        try {
            return encoder.encode(response(responseVersion, item.streamId(), item.message(), item.tracingId(),
                    item.warnings(), item.payload()));
        } catch (RuntimeException e) {
            if (item.isEvent()) {
                LOG.warnf(e, "Dropping an event that cannot be encoded in protocol v%d", responseVersion);
                return null;
            }
            String id = correlationId();
            LOG.errorf(e, "Cannot encode the response to stream %d [%s]", item.streamId(), id);
            return encoder.encode(response(responseVersion, item.streamId(),
                    new Error(ErrorCode.SERVER_ERROR, "Internal server error (correlation id " + id + ")")));
        }
    }

    private static Frame response(int version, int stream, Message message) {
        return response(version, stream, message, null, List.of(), Map.of());
    }

    /** Warnings and the custom payload travel only from protocol v4 on; the tracing id in every version. */
    private static Frame response(int version, int stream, Message message, UUID tracingId, List<String> warnings,
            Map<String, java.nio.ByteBuffer> payload) {
        return Frame.forResponse(version, stream, tracingId, version >= 4 && !payload.isEmpty() ? payload
                : Frame.NO_PAYLOAD, version >= 4 ? warnings : Collections.emptyList(), message);
    }

    // ---------------------------------------------------------------- flow control and closing

    private boolean readBlocked() {
        return authenticating || inFlightPaused || writePaused;
    }

    private void updateReadInterest() {
        boolean pause = closing || readBlocked();
        if (pause != socketPaused) {
            socketPaused = pause;
            if (pause) {
                socket.pause();
            } else {
                socket.resume();
            }
        }
    }

    private void onWritable() {
        writePaused = false;
        eventsWhileBlocked = 0;
        process();
    }

    private void fail(ProtocolViolation violation) {
        if (closing) {
            return;
        }
        LOG.debugf("Closing CQL connection from %s: %s", socket.remoteAddress(), violation.getMessage());
        closing = true;
        closeAfterFlush = true;
        outbound.add(new Outbound(violation.streamId(), new Error(ErrorCode.PROTOCOL_ERROR, violation.getMessage()),
                violation.responseVersion(), false));
        flush();
    }

    private void onException(Throwable error) {
        LOG.debugf(error, "CQL connection from %s failed", socket.remoteAddress());
        closing = true;
        socket.close();
    }

    private void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        cancelLoginTimer();
        resources.admission().disconnect(address);
        if (clientState != null) {
            resources.admission().logout(clientState.tenant().tenantId());
        }
        outbound.clear();
        envelopes.clear();
        cumulation = Unpooled.EMPTY_BUFFER;
        if (schemaSubscription != null) {
            try {
                schemaSubscription.close();
            } catch (Exception e) {
                LOG.debugf(e, "Failed to unsubscribe from schema events");
            }
            schemaSubscription = null;
        }
        resources.connections().remove(this);
        LOG.debugf("CQL connection from %s closed", socket.remoteAddress());
    }

    // ---------------------------------------------------------------- helpers

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A short id that ties a client's error to the log line with its details. */
    private static String correlationId() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 16);
    }

    private static String opcodeName(int opcode) {
        switch (opcode) {
            case Opcode.QUERY:
                return "QUERY";
            case Opcode.PREPARE:
                return "PREPARE";
            case Opcode.EXECUTE:
                return "EXECUTE";
            case Opcode.BATCH:
                return "BATCH";
            default:
                return "0x" + Integer.toHexString(opcode);
        }
    }

    private static Map<String, List<String>> supportedOptions() {
        Map<String, List<String>> options = new LinkedHashMap<>();
        options.put("CQL_VERSION", List.of(CQL_VERSION));
        options.put("COMPRESSION", List.of("lz4"));
        options.put("PROTOCOL_VERSIONS", List.of("3/v3", "4/v4", "5/v5"));
        return Collections.unmodifiableMap(options);
    }

    /**
     * A message waiting to be written.
     *
     * @param version the version to encode it in, or -1 for the connection's
     * @param completesRequest whether writing it ends an in-flight request
     */
    /** The client's address, for traces (loopback when the socket has none, as in tests). */
    /** The client's address and port as text, for audit records; null if unknown. */
    private String clientAddress() {
        return socket.remoteAddress() == null ? null : socket.remoteAddress().toString();
    }

    /**
     * The client's address for the login's audit record, followed by its verified client certificate's
     * principal when it presented one: {@code /10.0.0.7:51234 (client certificate svc-a)}.
     */
    private String auditSource() {
        String client = clientAddress();
        if (peer == null || peer.principal() == null) {
            return client;
        }
        return (client == null ? "unknown" : client) + " (client certificate " + peer.principal() + ")";
    }

    /** The socket's Netty pipeline; null for sockets that are not Vert.x's own (scripted tests). */
    private io.netty.channel.ChannelPipeline pipeline() {
        return socket instanceof io.vertx.core.net.impl.NetSocketInternal internal
                ? internal.channelHandlerContext().pipeline() : null;
    }

    /** Whether this connection is TLS, and the principal of the client certificate it presented (if any). */
    TlsPeer peer() {
        return peer == null ? TlsPeer.of(pipeline()) : peer;
    }

    private java.net.InetAddress remoteAddress() {
        try {
            return socket.remoteAddress() == null || socket.remoteAddress().hostAddress() == null
                    ? java.net.InetAddress.getLoopbackAddress()
                    : java.net.InetAddress.getByName(socket.remoteAddress().hostAddress());
        } catch (java.net.UnknownHostException e) {
            return java.net.InetAddress.getLoopbackAddress();
        }
    }

    private record Outbound(int streamId, Message message, int version, boolean completesRequest, UUID tracingId,
            List<String> warnings, Map<String, java.nio.ByteBuffer> payload) {
        Outbound(int streamId, Message message, int version, boolean completesRequest) {
            this(streamId, message, version, completesRequest, null, List.of(), Map.of());
        }

        boolean isEvent() {
            return message.opcode == Opcode.EVENT;
        }
    }
}
