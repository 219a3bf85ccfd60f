package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.response.Error;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.session.PagingKey;
import io.strata.cql.session.PreparedCacheLimits;
import io.strata.cql.testing.CqlFixture;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The permission matrix: each action against each kind of resource grant, through the request handler. */
final class TestAccessPolicies {
    private StorageEngine engine;
    private CqlRequestHandler handler;
    private final ClientState admin = new ClientState(new TenantContext("t", "admin"), 5);

    @BeforeEach
    void setUp() {
        engine = CqlFixture.openEngine(newDir());
        handler = CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()),
                () -> CqlFixture.NODE, Clock.systemUTC(), List.of(new AccessGuard()), PagingKey.random(),
                PreparedCacheLimits.defaults());
        for (String cql : List.of("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE KEYSPACE other WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE TABLE app.users (id int PRIMARY KEY, name text)",
                "CREATE TABLE app.orders (id int PRIMARY KEY, total int)",
                "CREATE TABLE other.secrets (id int PRIMARY KEY, v text)",
                "INSERT INTO app.users (id, name) VALUES (1, 'ada')")) {
            assertThat(run(admin, cql)).as(cql).isNotInstanceOf(Error.class);
        }
    }

    private static java.nio.file.Path newDir() {
        try {
            return java.nio.file.Files.createTempDirectory("access");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private Message run(ClientState state, String cql) {
        return CqlFixture.send(handler, state, new Query(cql));
    }

    private static ClientState token(String... grants) {
        return new ClientState(new TenantContext("t", "alice", AccessPolicy.parse(List.of(grants))), 5);
    }

    private void allowed(ClientState s, String cql) {
        assertThat(run(s, cql)).as(cql).isNotInstanceOf(Error.class);
    }

    private String denied(ClientState s, String cql) {
        Message m = run(s, cql);
        assertThat(m).as(cql).isInstanceOf(Error.class);
        assertThat(((Error) m).code).as(cql + ": " + ((Error) m).message).isEqualTo(ProtocolConstants.ErrorCode.UNAUTHORIZED);
        return ((Error) m).message;
    }

    @Test
    void aReadOnlyTokenReadsButCannotWriteOrChangeSchema() {
        ClientState reader = token("SELECT:app");
        allowed(reader, "SELECT * FROM app.users");
        allowed(reader, "SELECT * FROM app.orders");
        assertThat(denied(reader, "INSERT INTO app.users (id, name) VALUES (2, 'bob')"))
                .isEqualTo("User alice has no MODIFY permission on <table app.users> or any of its parents");
        denied(reader, "DELETE FROM app.users WHERE id = 1");
        denied(reader, "TRUNCATE app.users");
        denied(reader, "UPDATE app.users SET name = 'x' WHERE id = 1 IF EXISTS");
        assertThat(denied(reader, "CREATE TABLE app.t2 (id int PRIMARY KEY)"))
                .contains("no CREATE permission on <table app.t2>");
        denied(reader, "DROP TABLE app.users");
        denied(reader, "ALTER TABLE app.users ADD age int");
        assertThat(denied(reader, "SELECT * FROM other.secrets")).contains("<table other.secrets>");
        // drivers read the system tables to connect
        allowed(reader, "SELECT * FROM system.local");
        allowed(reader, "SELECT * FROM system_schema.tables");
    }

    @Test
    void aTableScopedTokenReachesOnlyItsTable() {
        ClientState scoped = token("SELECT|MODIFY:app.users");
        allowed(scoped, "SELECT * FROM app.users");
        allowed(scoped, "INSERT INTO app.users (id, name) VALUES (3, 'cy')");
        allowed(scoped, "UPDATE app.users SET name = 'cy2' WHERE id = 3 IF EXISTS");
        denied(scoped, "SELECT * FROM app.orders");
        denied(scoped, "INSERT INTO app.orders (id, total) VALUES (1, 1)");
        denied(scoped, "BEGIN BATCH INSERT INTO app.users (id, name) VALUES (4, 'd'); "
                + "INSERT INTO app.orders (id, total) VALUES (4, 4); APPLY BATCH");
        allowed(scoped, "DESCRIBE TABLE app.users");
        denied(scoped, "DESCRIBE TABLE app.orders");
        denied(scoped, "DESCRIBE KEYSPACE other");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "CREATE:app;CREATE TABLE app.t3 (id int PRIMARY KEY);true",
        "CREATE:app.t*;CREATE TABLE app.t3 (id int PRIMARY KEY);true",
        "CREATE:app.x*;CREATE TABLE app.t3 (id int PRIMARY KEY);false",
        "CREATE:new_*;CREATE KEYSPACE new_ks WITH replication = {'class': 'SingleRegionStrategy'};true",
        "CREATE:app;CREATE KEYSPACE new_ks WITH replication = {'class': 'SingleRegionStrategy'};false",
        "ALTER:app.users;ALTER TABLE app.users ADD age int;true",
        "ALTER:app.orders;ALTER TABLE app.users ADD age int;false",
        "DROP:app.orders;DROP TABLE app.orders;true",
        "DROP:app.users;DROP TABLE app.orders;false",
        "DROP:other;DROP KEYSPACE other;true",
        "ALL:*;DROP KEYSPACE other;true",
        "SELECT|MODIFY|CREATE|ALTER|DESCRIBE:*;DROP KEYSPACE other;false",
        "MODIFY:*.orders;TRUNCATE app.orders;true",
        "MODIFY:*.orders;TRUNCATE app.users;false",
    })
    void ddlAndPatterns(String grant, String cql, boolean allowed) {
        ClientState s = token(grant);
        if (allowed) {
            allowed(s, cql);
        } else {
            denied(s, cql);
        }
    }

    @Test
    void tokensWithoutAPolicyMayDoEverythingInTheirTenant() {
        allowed(admin, "DROP TABLE app.orders");
    }

    @Test
    void aRestoreNeedsSelectOnTheSourceAndCreateOnTheTarget() {
        assertThat(denied(token("CREATE:app"), "RESTORE TABLE app.users_back FROM TABLE app.users"))
                .isEqualTo("User alice has no SELECT permission on <table app.users> or any of its parents");
        assertThat(denied(token("SELECT:app.users"), "RESTORE TABLE app.users_back FROM TABLE app.users"))
                .isEqualTo("User alice has no CREATE permission on <table app.users_back> or any of its parents");
        assertThat(denied(token("SELECT:app.users", "CREATE:app"), "RESTORE TABLE other.users_back FROM TABLE app.users"))
                .isEqualTo("User alice has no CREATE permission on <table other.users_back> or any of its parents");
        // both granted: the permission check passes and the restore itself answers (app.users has no PITR)
        Message m = run(token("SELECT:app.users", "CREATE:app"), "RESTORE TABLE app.users_back FROM TABLE app.users");
        assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        assertThat(((Error) m).message).startsWith("Point-in-time recovery is not enabled on app.users");
    }
}
