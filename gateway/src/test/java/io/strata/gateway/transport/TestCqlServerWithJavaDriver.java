package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultProtocolVersion;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RawType;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.smallrye.mutiny.Uni;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.RequestHandler;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real DataStax Java driver (4.19) against the endpoint, with a fake request handler that serves
 * just enough of {@code system.local} and {@code system.peers} for the driver to connect. Schema
 * metadata and the token map are off here; the end-to-end suite covers the default driver
 * configuration against the real executor.
 */
final class TestCqlServerWithJavaDriver {
    private static final String DATACENTER = "datacenter1";
    private static final RawType TEXT = RawType.PRIMITIVES.get(ProtocolConstants.DataType.VARCHAR);
    private static final RawType UUID_TYPE = RawType.PRIMITIVES.get(ProtocolConstants.DataType.UUID);
    private static final RawType INET = RawType.PRIMITIVES.get(ProtocolConstants.DataType.INET);
    private static final RawType INT = RawType.PRIMITIVES.get(ProtocolConstants.DataType.INT);
    private static final RawType TEXT_SET = new RawType.RawSet(TEXT);

    private static Vertx vertx;

    private final SystemTablesHandler handler = new SystemTablesHandler();
    private CqlServer server;
    private int port;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startServer() {
        server = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(2),
                handler, new FakeAuthenticator(), new RecordingSchemaEvents());
        port = server.start();
        handler.rpcPort = port;
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void driverNegotiatesV5AndAuthenticates() {
        try (CqlSession session = session(config(), FakeAuthenticator.GOOD_PASSWORD)) {
            Row row = session.execute("SELECT release_version FROM system.local").one();

            assertThat(row.getString("release_version")).isEqualTo("4.1.0");
            assertThat(session.getContext().getProtocolVersion()).isEqualTo(DefaultProtocolVersion.V5);
            assertThat(handler.versions).containsOnly(5);
        }
    }

    @Test
    void driverPinnedToV4UsesV4() {
        try (CqlSession session = session(config().withString(DefaultDriverOption.PROTOCOL_VERSION, "V4"),
                FakeAuthenticator.GOOD_PASSWORD)) {
            ResultSet result = session.execute("SELECT release_version FROM system.local");

            assertThat(result.one().getString("release_version")).isEqualTo("4.1.0");
            assertThat(session.getContext().getProtocolVersion()).isEqualTo(DefaultProtocolVersion.V4);
            assertThat(handler.versions).containsOnly(4);
        }
    }

    @Test
    void driverWithLz4WorksOnV5AndV4() {
        for (String version : List.of("V5", "V4")) {
            try (CqlSession session = session(config()
                    .withString(DefaultDriverOption.PROTOCOL_VERSION, version)
                    .withString(DefaultDriverOption.PROTOCOL_COMPRESSION, "lz4"), FakeAuthenticator.GOOD_PASSWORD)) {
                // a response above one v5 segment, compressed either way
                Row row = session.execute("SELECT big FROM system.local").one();

                assertThat(row.getString("big")).hasSize(300_000);
                assertThat(session.getContext().getProtocolVersion().name()).isEqualTo(version);
            }
        }
    }

    @Test
    void driverReportsBadCredentials() {
        assertThatThrownBy(() -> session(config(), "wrong").close())
                .isInstanceOf(AllNodesFailedException.class)
                .satisfies(e -> assertThat(((AllNodesFailedException) e).getAllErrors().values())
                        .flatMap(errors -> errors)
                        .anySatisfy(error -> assertThat(error)
                                .isInstanceOf(AuthenticationException.class)
                                .hasMessageContaining("Invalid token for user token")));
    }

    private ProgrammaticDriverConfigLoaderBuilder config() {
        return DriverConfigLoader.programmaticBuilder()
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                // no two-second Netty quiet period on every session close
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0);
    }

    private CqlSession session(ProgrammaticDriverConfigLoaderBuilder config, String password) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", port))
                .withLocalDatacenter(DATACENTER)
                .withAuthCredentials("token", password)
                .withConfigLoader(config.build())
                .build();
    }

    /** Serves the driver's bootstrap queries from canned rows. Thread-safe. */
    static final class SystemTablesHandler implements RequestHandler {
        private static final UUID HOST_ID = UUID.fromString("6b2f1a3e-0000-4000-8000-000000000001");
        private static final UUID SCHEMA_VERSION = UUID.fromString("6b2f1a3e-0000-4000-8000-000000000002");

        final List<Integer> versions = new CopyOnWriteArrayList<>();
        volatile int rpcPort;

        @Override
        public Uni<Response> handle(ClientState state, Request request) {
            return Uni.createFrom().completionStage(answer(state, request.message())).map(Response::of);
        }

        private CompletionStage<Message> answer(ClientState state, Message request) {
            versions.add(state.protocolVersion());
            if (!(request instanceof Query)) {
                return CompletableFuture.completedFuture(Void.INSTANCE);
            }
            String query = ((Query) request).query;
            Message answer;
            if (query.contains("system.local")) {
                answer = localRow(rpcPort, query.contains("big"));
            } else if (query.contains("system.peers_v2")) {
                answer = new Error(ProtocolConstants.ErrorCode.INVALID, "table system.peers_v2 does not exist");
            } else if (query.contains("system.peers")) {
                answer = new DefaultRows(CannedRows.metadata(List.of(
                        column("peer", INET, 0), column("rpc_address", INET, 1), column("data_center", TEXT, 2),
                        column("rack", TEXT, 3), column("host_id", UUID_TYPE, 4), column("tokens", TEXT_SET, 5))),
                        new ArrayDeque<>());
            } else {
                answer = new Error(ProtocolConstants.ErrorCode.INVALID, "unsupported in this test: " + query);
            }
            return CompletableFuture.completedFuture(answer);
        }

        private static DefaultRows localRow(int rpcPort, boolean withBigColumn) {
            List<ColumnSpec> columns = new ArrayList<>();
            List<ByteBuffer> row = new ArrayList<>();
            // the driver reads cluster_name by position during connection setup, so it comes first
            add(columns, row, "cluster_name", TEXT, CannedRows.utf8("strata"));
            add(columns, row, "key", TEXT, CannedRows.utf8("local"));
            add(columns, row, "host_id", UUID_TYPE, uuid(HOST_ID));
            add(columns, row, "data_center", TEXT, CannedRows.utf8(DATACENTER));
            add(columns, row, "rack", TEXT, CannedRows.utf8("rack1"));
            add(columns, row, "release_version", TEXT, CannedRows.utf8("4.1.0"));
            add(columns, row, "rpc_address", INET, ByteBuffer.wrap(new byte[] {127, 0, 0, 1}));
            add(columns, row, "broadcast_address", INET, ByteBuffer.wrap(new byte[] {127, 0, 0, 1}));
            add(columns, row, "listen_address", INET, ByteBuffer.wrap(new byte[] {127, 0, 0, 1}));
            add(columns, row, "rpc_port", INT, ByteBuffer.allocate(4).putInt(0, rpcPort));
            add(columns, row, "partitioner", TEXT, CannedRows.utf8("org.apache.cassandra.dht.Murmur3Partitioner"));
            add(columns, row, "tokens", TEXT_SET, textSet("0"));
            add(columns, row, "schema_version", UUID_TYPE, uuid(SCHEMA_VERSION));
            if (withBigColumn) {
                add(columns, row, "big", TEXT, CannedRows.utf8("b".repeat(300_000)));
            }
            Queue<List<ByteBuffer>> data = new ArrayDeque<>();
            data.add(row);
            return new DefaultRows(CannedRows.metadata(columns), data);
        }

        private static void add(List<ColumnSpec> columns, List<ByteBuffer> row, String name, RawType type,
                ByteBuffer value) {
            columns.add(column(name, type, columns.size()));
            row.add(value);
        }

        private static ColumnSpec column(String name, RawType type, int index) {
            return new ColumnSpec("system", "local", name, index, type);
        }

        private static ByteBuffer uuid(UUID id) {
            ByteBuffer bytes = ByteBuffer.allocate(16);
            bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).flip();
            return bytes;
        }

        private static ByteBuffer textSet(String element) {
            byte[] bytes = element.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer set = ByteBuffer.allocate(4 + 4 + bytes.length);
            set.putInt(1).putInt(bytes.length).put(bytes).flip();
            return set;
        }
    }
}
