package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata restores TENANT}: the tenant's restores ({@code GET /admin/tenants/<t>/restores}), in progress and
 * recently finished; and {@code strata restore status TENANT KS.TABLE [--wait]}: one restore's progress as a bar
 * ({@code GET .../restores/<ks.table>}), with {@code --wait} redrawn (on stderr) until it ends, then its final line on
 * stdout; exit status 1 when it FAILED.
 */
@Command(name = "restores", description = "List a tenant's restores: in progress and recently finished (admin API).")
final class RestoresCommand extends AdminCommand {
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("KEYSPACE", "keyspace"),
            new Output.Column("TABLE", "table"), new Output.Column("SOURCE", "source"),
            new Output.Column("BACKUP", "backup"), new Output.Column("AS OF", "restoreTimestamp"),
            new Output.Column("STATUS", "status"), new Output.Column("PERCENT", "percent"),
            new Output.Column("BYTES", "bytesTotal"), new Output.Column("ERROR", "error"));
    private static final int BAR = 30;

    @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
    String tenant;

    @Override
    JsonNode call(AdminClient client, Env env) throws Exception {
        return client.get("/admin/tenants/" + AdminClient.segment(tenant) + "/restores");
    }

    @Override
    void render(JsonNode answer, Env env) {
        Output.table(env.out(), answer, COLUMNS);
    }

    /** {@code [#########-----]  45%  1.2 MiB of 2.6 MiB  RESTORING ks.t}, or the error of a failed restore. */
    static String line(JsonNode r) {
        String status = r.path("status").asText("?");
        int percent = Math.max(0, Math.min(100, r.path("percent").asInt(0)));
        int filled = percent * BAR / 100;
        String target = r.path("keyspace").asText() + "." + r.path("table").asText();
        StringBuilder b = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("] ")
                .append(String.format("%3d%%", percent));
        if (r.path("bytesTotal").asLong(0) > 0) {
            b.append("  ").append(bytes(r.path("bytesDone").asLong(0))).append(" of ").append(bytes(r.path("bytesTotal").asLong()));
        }
        b.append("  ").append(status).append(' ').append(target);
        if (r.hasNonNull("error")) {
            b.append(": ").append(r.path("error").asText());
        }
        return b.toString();
    }

    static void failIfFailed(JsonNode r) {
        if ("FAILED".equals(r.path("status").asText())) {
            throw new CliException("the restore into " + r.path("keyspace").asText() + "." + r.path("table").asText()
                    + " failed");
        }
    }

    /** Polls the restore into {@code target} until it is no longer RESTORING, drawing its bar on stderr. */
    static JsonNode follow(AdminClient client, Env env, String tenant, String target, Duration every) throws Exception {
        String path = "/admin/tenants/" + AdminClient.segment(tenant) + "/restores/" + AdminClient.segment(target);
        while (true) {
            JsonNode r = client.get(path);
            if (!"RESTORING".equals(r.path("status").asText())) {
                return r;
            }
            env.err().println(line(r));
            Thread.sleep(Math.max(1, every.toMillis()));
        }
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code strata restore status TENANT KS.TABLE [--wait]}. */
    @Command(name = "restore", description = "Follow one restore (admin API).", subcommands = {Status.class})
    static final class RestoreGroup extends Group {}

    @Command(name = "status", description = "Show a restore's progress as a bar; --wait follows it until it ends.")
    static final class Status extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", paramLabel = "KS.TABLE", description = "The table being restored.")
        String target;

        @Option(names = "--wait", description = "Redraw the progress (on stderr) until the restore ends.")
        boolean await;

        @Option(names = "--interval", defaultValue = "1s", description = "How often --wait asks (default: ${DEFAULT-VALUE}).")
        String interval;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            BackupsCommand.table(target, spec);
            Duration every = Durations.parse(interval, "--interval");
            return await ? follow(client, env, tenant, target, every)
                    : client.get("/admin/tenants/" + AdminClient.segment(tenant) + "/restores/" + AdminClient.segment(target));
        }

        @Override
        void render(JsonNode answer, Env env) {
            env.out().println(line(answer));
            failIfFailed(answer);
        }
    }
}
