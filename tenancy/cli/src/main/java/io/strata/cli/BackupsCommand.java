package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata backups ...}: a tenant's on-demand backups through {@code /admin/tenants/<t>/backups}: {@code create
 * TENANT KS.TABLE NAME}, {@code list TENANT}, {@code describe TENANT NAME}, {@code delete TENANT NAME} and
 * {@code restore TENANT NAME KS.TABLE} (into a new table; follow it with {@code strata restore status}).
 */
@Command(name = "backups", description = "On-demand backups of tables: create, list, describe, delete, restore (admin API).",
        subcommands = {BackupsCommand.Create.class, BackupsCommand.ListBackups.class, BackupsCommand.Describe.class,
            BackupsCommand.Delete.class, BackupsCommand.Restore.class})
final class BackupsCommand extends Group {
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("KEYSPACE", "keyspace"), new Output.Column("TABLE", "table"),
            new Output.Column("CREATED", "createdAt"), new Output.Column("BYTES", "bytes"));

    private static String path(String tenant) {
        return "/admin/tenants/" + AdminClient.segment(tenant) + "/backups";
    }

    /** {@code ks.table} split in two; a usage error otherwise. */
    static String[] table(String qualified, picocli.CommandLine.Model.CommandSpec spec) {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1 || qualified.indexOf('.', dot + 1) >= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "name the table as KEYSPACE.TABLE, not '" + qualified + "'");
        }
        return new String[] {qualified.substring(0, dot), qualified.substring(dot + 1)};
    }

    @Command(name = "create", description = "Back a table up now, under a name (unique in the tenant; immutable).")
    static final class Create extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", paramLabel = "KS.TABLE", description = "The table to back up.")
        String table;

        @Parameters(index = "2", paramLabel = "NAME", description = "The backup's name: letters, digits, '_' or '-'.")
        String name;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            String[] t = table(table, spec);
            return client.post(path(tenant), AdminClient.JSON.createObjectNode().put("keyspace", t[0]).put("table", t[1])
                    .put("name", name));
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }

    @Command(name = "list", description = "List a tenant's backups.")
    static final class ListBackups extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get(path(tenant));
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.table(env.out(), answer, COLUMNS);
        }
    }

    @Command(name = "describe", description = "Show a backup and the columns of the table it holds.")
    static final class Describe extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", paramLabel = "NAME", description = "The backup.")
        String name;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get(path(tenant) + "/" + AdminClient.segment(name));
        }

        @Override
        void render(JsonNode answer, Env env) {
            for (String field : List.of("name", "keyspace", "table", "tableId", "createdAt", "bytes")) {
                env.out().println(field + ": " + Output.text(answer.path(field)));
            }
            env.out().println("columns:");
            for (JsonNode c : answer.path("columns")) {
                env.out().println("  " + Output.text(c.path("name")) + " " + Output.text(c.path("type"))
                        + ("regular".equals(c.path("kind").asText()) ? "" : " (" + Output.text(c.path("kind")) + ")"));
            }
        }
    }

    @Command(name = "delete", description = "Delete a backup (its data goes once nothing else uses it).")
    static final class Delete extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", paramLabel = "NAME", description = "The backup.")
        String name;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.delete(path(tenant) + "/" + AdminClient.segment(name));
        }

        @Override
        void render(JsonNode answer, Env env) {
            env.err().println("deleted backup " + name);
        }
    }

    @Command(name = "restore", description = "Restore a backup into a new table (asynchronous; --wait follows it).")
    static final class Restore extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", paramLabel = "NAME", description = "The backup.")
        String name;

        @Parameters(index = "2", paramLabel = "KS.TABLE", description = "The new table (must not exist).")
        String target;

        @picocli.CommandLine.Option(names = "--wait", description = "Show progress until the restore ends.")
        boolean await;

        @picocli.CommandLine.Option(names = "--interval", defaultValue = "1s",
                description = "How often --wait asks (default: ${DEFAULT-VALUE}).")
        String interval;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            String[] t = table(target, spec);
            java.time.Duration every = Durations.parse(interval, "--interval");
            JsonNode started = client.post(path(tenant) + "/" + AdminClient.segment(name) + "/restore",
                    AdminClient.JSON.createObjectNode().put("keyspace", t[0]).put("table", t[1]));
            return await ? RestoresCommand.follow(client, env, tenant, target, every) : started;
        }

        @Override
        void render(JsonNode answer, Env env) {
            env.out().println(RestoresCommand.line(answer));
            RestoresCommand.failIfFailed(answer);
        }
    }
}
