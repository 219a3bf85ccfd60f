package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin commands against a recording HTTP server: the method, path, headers and JSON body each command sends, and
 * how it renders the gateway's answers (recorded documents) and RFC 7807 problems.
 */
final class TestAdminApi {
    private static final String ACME = "{\"name\":\"acme\",\"state\":\"ACTIVE\",\"createdAt\":\"2026-12-01T10:00:00Z\","
            + "\"changedAt\":\"2026-12-01T10:00:00Z\"}";
    private static final String ACME_SUSPENDED = "{\"name\":\"acme\",\"state\":\"SUSPENDED\","
            + "\"createdAt\":\"2026-12-01T10:00:00Z\",\"changedAt\":\"2026-12-02T08:30:00Z\"}";
    private static final String ISSUED = "{\"tokenId\":\"5f0c6a52-1b7e-4c11-9d0e-6a1c2f3b4d5e\",\"tenant\":\"acme\","
            + "\"subject\":\"app1\",\"permissions\":null,\"tenantAdmin\":false,\"issuedAt\":\"2026-12-07T00:00:00Z\","
            + "\"expiresAt\":\"2027-01-06T00:00:00Z\",\"token\":\"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhcHAxIn0.c2ln\"}";

    @TempDir
    Path dir;

    private AdminServer server;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        server = new AdminServer();
        cli = new Cli(Clock.systemUTC(), dir);
        cli.variables.put("STRATA_URL", server.url());
        cli.variables.put("STRATA_TOKEN", "op-token");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createsATenant() {
        server.reply(201, ACME);

        assertThat(cli.run("tenants", "create", "acme")).isZero();

        AdminServer.Request request = server.take();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/admin/tenants");
        assertThat(request.header("Authorization")).isEqualTo("Bearer op-token");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Accept")).isEqualTo("application/json");
        assertThat(json(request.body())).isEqualTo(json("{\"name\":\"acme\"}"));
        assertThat(cli.stdout()).isEqualTo("""
                NAME  STATE   CREATED               CHANGED
                acme  ACTIVE  2026-12-01T10:00:00Z  2026-12-01T10:00:00Z
                """);
        assertThat(cli.stderr()).isEmpty();
    }

    @Test
    void listsTenantsAsATableOrJson() {
        String list = "[" + ACME + ",{\"name\":\"globex-eu\",\"state\":\"DELETED\",\"createdAt\":\"2026-11-01T00:00:00Z\","
                + "\"changedAt\":\"2026-11-30T23:59:59Z\"}]";
        server.reply(200, list).reply(200, list).reply(200, "[]");

        assertThat(cli.run("tenants", "list")).isZero();
        assertThat(cli.stdout()).isEqualTo("""
                NAME       STATE    CREATED               CHANGED
                acme       ACTIVE   2026-12-01T10:00:00Z  2026-12-01T10:00:00Z
                globex-eu  DELETED  2026-11-01T00:00:00Z  2026-11-30T23:59:59Z
                """);
        assertThat(cli.run("tenants", "list", "--json")).isZero();
        assertThat(json(cli.stdout())).isEqualTo(json(list));
        assertThat(cli.stdout()).contains("\n  ");  // pretty-printed
        assertThat(cli.run("tenants", "list")).isZero();
        assertThat(cli.stdout()).isEqualTo("NAME  STATE  CREATED  CHANGED\n");

        assertThat(server.requests()).extracting(AdminServer.Request::method, AdminServer.Request::rawPath,
                        AdminServer.Request::body)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("GET", "/admin/tenants", ""));
    }

    @Test
    void getsSuspendsResumesAndDeletesATenant() {
        server.reply(200, ACME).reply(200, ACME_SUSPENDED).reply(200, ACME).reply(200, ACME);

        assertThat(cli.run("tenants", "get", "acme")).isZero();
        assertThat(cli.stdout()).contains("acme  ACTIVE");
        assertThat(cli.run("tenants", "suspend", "acme")).isZero();
        assertThat(cli.stdout()).contains("acme  SUSPENDED  2026-12-01T10:00:00Z  2026-12-02T08:30:00Z");
        assertThat(cli.run("tenants", "resume", "acme")).isZero();
        assertThat(cli.run("tenants", "delete", "acme", "--json")).isZero();
        assertThat(json(cli.stdout())).isEqualTo(json(ACME));

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPath() + " " + r.body().length())
                .containsExactly("GET /admin/tenants/acme 0", "POST /admin/tenants/acme/suspend 0",
                        "POST /admin/tenants/acme/resume 0", "DELETE /admin/tenants/acme 0");
        assertThat(server.requests()).allSatisfy(r -> {
            assertThat(r.header("Authorization")).isEqualTo("Bearer op-token");
            assertThat(r.header("Content-Type")).isNull();
        });
    }

    @Test
    void encodesPathSegments() {
        server.problem(404, "Not Found", "no tenant 'a b/c'");

        assertThat(cli.run("tenants", "get", "a b/c")).isEqualTo(1);

        assertThat(server.take().rawPath()).isEqualTo("/admin/tenants/a%20b%2Fc");
    }

    @Test
    void printsProblemsOnStderrWithStatus1() {
        server.problem(404, "Not Found", "tenant 'nope' does not exist")
                .problem(409, "Conflict", "tenant 'acme' already exists")
                .problem(400, "Bad Request", "name must be 1 to 48 characters")
                .problem(403, "Forbidden", "token does not carry the 'operator' role")
                .replyText(502, "<html>Bad gateway</html>")
                .replyText(404, "<html><body><h1>Resource not found</h1></body></html>")
                .reply(500, "{\"title\":\"Internal Server Error\",\"status\":500}");

        assertThat(cli.run("tenants", "get", "nope")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 404 Not Found: tenant 'nope' does not exist\n");
        assertThat(cli.run("tenants", "create", "acme")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 409 Conflict: tenant 'acme' already exists\n");
        assertThat(cli.run("tenants", "create", "Acme")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 400 Bad Request: name must be 1 to 48 characters\n");
        assertThat(cli.run("storage", "status")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 403 Forbidden: token does not carry the 'operator' role\n");
        assertThat(cli.run("tenants", "list")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 502 Bad Gateway: <html>Bad gateway</html>\n");
        assertThat(cli.run("tokens", "list", "acme")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 404 Not Found: this gateway does not serve GET "
                + "/admin/tenants/acme/tokens (is it older than this command line?)\n");
        assertThat(cli.run("tenants", "list", "--json")).isEqualTo(1);
        assertThat(cli.stderr()).isEqualTo("error: 500 Internal Server Error\n");
        assertThat(cli.stdout()).isEmpty();
    }

    @Test
    void issuesATokenPrintingOnlyTheToken() {
        server.reply(201, ISSUED);

        assertThat(cli.run("tokens", "issue", "acme", "--subject", "app1")).isZero();

        AdminServer.Request request = server.take();
        assertThat(request.method() + " " + request.rawPath()).isEqualTo("POST /admin/tenants/acme/tokens");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        // default --ttl 30d; no --allow: no permissions field (everything in the tenant)
        assertThat(json(request.body())).isEqualTo(json(
                "{\"subject\":\"app1\",\"lifetime\":\"PT720H\",\"tenantAdmin\":false}"));
        assertThat(cli.stdout()).isEqualTo("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhcHAxIn0.c2ln\n");
        assertThat(cli.stderr()).isEqualTo("issued token 5f0c6a52-1b7e-4c11-9d0e-6a1c2f3b4d5e for app1 in acme, "
                + "expires 2027-01-06T00:00:00Z\n");
    }

    @Test
    void issuesALimitedTenantAdminToken() {
        String issued = ISSUED.replace("\"permissions\":null", "\"permissions\":[\"SELECT:app.users\",\"SELECT|MODIFY:app.*\"]")
                .replace("\"tenantAdmin\":false", "\"tenantAdmin\":true");
        server.reply(201, issued);

        assertThat(cli.run("tokens", "issue", "acme", "--subject", "app1", "--ttl", "12h", "--allow",
                "SELECT:app.users,SELECT|MODIFY:app.*", "--tenant-admin", "--json")).isZero();

        assertThat(json(server.take().body())).isEqualTo(json("{\"subject\":\"app1\",\"lifetime\":\"PT12H\","
                + "\"permissions\":[\"SELECT:app.users\",\"SELECT|MODIFY:app.*\"],\"tenantAdmin\":true}"));
        assertThat(json(cli.stdout())).isEqualTo(json(issued));
    }

    @Test
    void listsTokens() {
        String listed = "[{\"tokenId\":\"t-1\",\"tenant\":\"acme\",\"subject\":\"app1\",\"permissions\":null,"
                + "\"tenantAdmin\":false,\"issuedAt\":\"2026-12-07T00:00:00Z\",\"expiresAt\":\"2027-01-06T00:00:00Z\"},"
                + "{\"tokenId\":\"t-2\",\"tenant\":\"acme\",\"subject\":\"admin\",\"permissions\":[\"SELECT:app\","
                + "\"MODIFY:app.orders\"],\"tenantAdmin\":true,\"issuedAt\":\"2026-12-07T01:00:00Z\","
                + "\"expiresAt\":\"2026-12-08T01:00:00Z\"}]";
        server.reply(200, listed);

        assertThat(cli.run("tokens", "list", "acme")).isZero();

        assertThat(server.take().rawPath()).isEqualTo("/admin/tenants/acme/tokens");
        assertThat(cli.stdout()).isEqualTo("""
                TOKEN ID  SUBJECT  ADMIN  PERMISSIONS                   ISSUED                EXPIRES
                t-1       app1     false  all                           2026-12-07T00:00:00Z  2027-01-06T00:00:00Z
                t-2       admin    true   SELECT:app,MODIFY:app.orders  2026-12-07T01:00:00Z  2026-12-08T01:00:00Z
                """);
    }

    @Test
    void revokesATokenByIdOrASubject() {
        server.noContent().reply(201, "{\"tenant\":\"acme\",\"tokenId\":\"\",\"subject\":\"app1\","
                + "\"at\":\"2026-12-07T02:00:00Z\"}");

        assertThat(cli.run("tokens", "revoke", "acme", "t-1")).isZero();
        AdminServer.Request byId = server.take();
        assertThat(byId.method() + " " + byId.rawPath()).isEqualTo("DELETE /admin/tenants/acme/tokens/t-1");
        assertThat(cli.stdout()).isEqualTo("revoked token t-1 of tenant acme\n");

        assertThat(cli.run("tokens", "revoke", "acme", "--subject", "app1")).isZero();
        AdminServer.Request bySubject = server.take();
        assertThat(bySubject.method() + " " + bySubject.rawPath()).isEqualTo("POST /admin/tenants/acme/revocations");
        assertThat(json(bySubject.body())).isEqualTo(json("{\"subject\":\"app1\"}"));
        assertThat(cli.stdout()).isEqualTo("revoked the tokens of app1 in tenant acme issued until 2026-12-07T02:00:00Z\n");
    }

    @Test
    void showsStorageStatusAndRunsARepair() {
        String status = "{\"backend\":\"s3 (3 zones)\",\"writerEpoch\":7,\"fenced\":false,\"segments\":12,"
                + "\"blockCacheHitRate\":0.93,\"zoneRepair\":{\"passes\":3,\"blobsCopied\":2,"
                + "\"last\":{\"at\":\"2026-12-07T01:00:00Z\",\"zonesMissingCommitLog\":[1,2],\"error\":null}}}";
        String pass = "{\"at\":\"2026-12-07T02:00:00Z\",\"blobsCopied\":0,\"zonesMissingCommitLog\":[],\"flushed\":false,"
                + "\"error\":null}";
        server.reply(200, status).reply(200, pass);

        assertThat(cli.run("storage", "status")).isZero();
        assertThat(cli.stdout()).isEqualTo("""
                backend: s3 (3 zones)
                writerEpoch: 7
                fenced: false
                segments: 12
                blockCacheHitRate: 0.93
                zoneRepair.passes: 3
                zoneRepair.blobsCopied: 2
                zoneRepair.last.at: 2026-12-07T01:00:00Z
                zoneRepair.last.zonesMissingCommitLog: 1,2
                zoneRepair.last.error: -
                """);
        assertThat(cli.run("storage", "repair")).isZero();
        assertThat(cli.stdout()).startsWith("at: 2026-12-07T02:00:00Z\nblobsCopied: 0\n");

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("GET /admin/storage", "POST /admin/storage/repair");
    }

    @Test
    void showsABill() {
        String bill = "[{\"period\":\"2026-12-07\",\"tenant\":\"acme\",\"keyspace\":\"app\",\"table\":\"kv\","
                + "\"readRequestUnits\":21,\"writeRequestUnits\":53,\"provisionedReadCapacityUnitHours\":0,"
                + "\"provisionedWriteCapacityUnitHours\":0,\"readThrottleEvents\":0,\"writeThrottleEvents\":2,"
                + "\"costUsd\":0.000036}]";
        server.reply(200, bill).reply(200, "[]");

        assertThat(cli.run("usage", "acme", "--daily", "--from", "2026-12-01T00:00:00Z")).isZero();
        assertThat(cli.stdout()).contains("PERIOD", "USD", "2026-12-07", "acme", "kv", "53", "0.000036");
        assertThat(cli.run("usage")).isZero();

        assertThat(server.requests()).extracting(r -> r.method() + " " + r.rawPath()).containsExactly(
                "GET /admin/tenants/acme/usage?granularity=day&from=2026-12-01T00%3A00%3A00Z",
                "GET /admin/usage?granularity=hour");
    }

    @Test
    void findsUrlAndTokenInOptionsEnvironmentAndFiles() throws Exception {
        cli.variables.clear();
        for (int i = 0; i < 7; i++) {
            server.reply(200, "[]");
        }

        // options before the command, then after it (which win)
        assertThat(cli.run("--url", server.url(), "--token", "root-token", "tenants", "list")).isZero();
        assertThat(cli.run("--url", "http://127.0.0.1:9", "--token", "root-token", "tenants", "list",
                "--url", server.url() + "/", "--token", "leaf-token")).isZero();
        Files.writeString(dir.resolve("op"), "file-token\n");
        assertThat(cli.run("--token", "root-token", "tenants", "list", "--url", server.url(), "--token-file", "op"))
                .isZero();
        // environment
        cli.variables.put("STRATA_URL", server.url());
        cli.variables.put("STRATA_TOKEN", "env-token");
        assertThat(cli.run("tenants", "list")).isZero();
        // the default file in the working directory, then in the Strata home
        cli.variables.remove("STRATA_TOKEN");
        Path home = Files.createDirectories(dir.resolve("home/data"));
        Files.writeString(home.resolve("operator-token"), "home-token\n");
        cli.home = dir.resolve("home");
        assertThat(cli.run("tenants", "list")).isZero();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/operator-token"), " cwd-token\n");
        assertThat(cli.run("tenants", "list")).isZero();
        assertThat(cli.run("tenants", "list", "--token", "explicit")).isZero();

        assertThat(server.requests()).extracting(r -> r.header("Authorization")).containsExactly("Bearer root-token",
                "Bearer leaf-token", "Bearer file-token", "Bearer env-token", "Bearer home-token", "Bearer cwd-token",
                "Bearer explicit");
    }

    private static JsonNode json(String text) {
        try {
            return AdminClient.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
