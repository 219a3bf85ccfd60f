package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata backups ...}, {@code strata restores} and {@code strata restore status}: requests and renderings. */
final class TestRecoveryCommands {
    private static final String BACKUP = "{\"name\":\"nightly\",\"keyspace\":\"app\",\"table\":\"orders\","
            + "\"tableId\":\"11111111-2222-3333-4444-555555555555\",\"createdAt\":\"2026-12-07T02:00:00Z\",\"bytes\":4096}";

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

    private static JsonNode json(String text) throws Exception {
        return AdminClient.JSON.readTree(text);
    }

    private static String restore(String status, int percent, long done, long total) {
        return "{\"keyspace\":\"app\",\"table\":\"orders_back\",\"source\":\"app.orders\",\"restoreTimestamp\":"
                + "\"2026-12-07T04:05:00Z\",\"status\":\"" + status + "\",\"percent\":" + percent + ",\"bytesTotal\":"
                + total + ",\"bytesDone\":" + done + "}";
    }

    @Test
    void createsListsDescribesAndDeletesBackups() throws Exception {
        server.reply(201, BACKUP);
        assertThat(cli.run("backups", "create", "acme", "app.orders", "nightly")).isZero();
        AdminServer.Request create = server.take();
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.rawPath()).isEqualTo("/admin/tenants/acme/backups");
        assertThat(json(create.body())).isEqualTo(json("{\"keyspace\":\"app\",\"table\":\"orders\",\"name\":\"nightly\"}"));
        assertThat(cli.stdout()).contains("name: nightly").contains("bytes: 4096");

        server.reply(200, "[" + BACKUP + "]");
        assertThat(cli.run("backups", "list", "acme")).isZero();
        assertThat(server.take().rawPath()).isEqualTo("/admin/tenants/acme/backups");
        assertThat(cli.stdout()).isEqualTo("""
                NAME     KEYSPACE  TABLE   CREATED               BYTES
                nightly  app       orders  2026-12-07T02:00:00Z  4096
                """);

        server.reply(200, BACKUP.replace("}", ",\"columns\":[{\"name\":\"k\",\"type\":\"int\",\"kind\":\"partition_key\"},"
                + "{\"name\":\"v\",\"type\":\"text\",\"kind\":\"regular\"}]}"));
        assertThat(cli.run("backups", "describe", "acme", "nightly")).isZero();
        assertThat(server.take().rawPath()).isEqualTo("/admin/tenants/acme/backups/nightly");
        assertThat(cli.stdout()).contains("columns:\n  k int (partition_key)\n  v text\n");

        server.noContent();
        assertThat(cli.run("backups", "delete", "acme", "nightly")).isZero();
        AdminServer.Request delete = server.take();
        assertThat(delete.method()).isEqualTo("DELETE");
        assertThat(delete.rawPath()).isEqualTo("/admin/tenants/acme/backups/nightly");
        assertThat(cli.stdout()).isEmpty();
    }

    @Test
    void aTableIsNamedKeyspaceDotTable() {
        assertThat(cli.run("backups", "create", "acme", "orders", "nightly")).isEqualTo(2);
        assertThat(cli.stderr()).contains("name the table as KEYSPACE.TABLE, not 'orders'");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void restoresABackupAndWaitsWithAProgressBar() throws Exception {
        server.reply(202, restore("RESTORING", 0, 0, 0))
                .reply(200, restore("RESTORING", 50, 1536, 3072))
                .reply(200, restore("ACTIVE", 100, 3072, 3072));
        assertThat(cli.run("backups", "restore", "acme", "nightly", "app.orders_back", "--wait", "--interval", "1s"))
                .isZero();
        assertThat(server.requests()).extracting(AdminServer.Request::rawPath).containsExactly(
                "/admin/tenants/acme/backups/nightly/restore", "/admin/tenants/acme/restores/app.orders_back",
                "/admin/tenants/acme/restores/app.orders_back");
        assertThat(json(server.requests().get(0).body())).isEqualTo(json("{\"keyspace\":\"app\",\"table\":\"orders_back\"}"));
        assertThat(cli.stderr()).contains("[###############---------------]  50%  1.5 KiB of 3.0 KiB  RESTORING app.orders_back");
        assertThat(cli.stdout()).isEqualTo("[##############################] 100%  3.0 KiB of 3.0 KiB  ACTIVE app.orders_back\n");
    }

    @Test
    void listsRestoresAndShowsOneFailingWithStatus1() {
        server.reply(200, "[" + restore("RESTORING", 40, 4, 10) + "]");
        assertThat(cli.run("restores", "acme")).isZero();
        assertThat(server.take().rawPath()).isEqualTo("/admin/tenants/acme/restores");
        assertThat(cli.stdout()).startsWith("KEYSPACE  TABLE        SOURCE      BACKUP  AS OF                 STATUS     PERCENT")
                .contains("app       orders_back  app.orders  -       2026-12-07T04:05:00Z  RESTORING  40");

        server.reply(200, restore("FAILED", 0, 0, 0).replace("}", ",\"error\":\"no history\"}"));
        assertThat(cli.run("restore", "status", "acme", "app.orders_back")).isEqualTo(1);
        assertThat(cli.stdout()).isEqualTo("[------------------------------]   0%  FAILED app.orders_back: no history\n");
        assertThat(cli.stderr()).contains("the restore into app.orders_back failed");
    }
}
