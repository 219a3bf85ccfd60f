package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/**
 * {@code strata storage ...}: {@code status} ({@code GET /admin/storage}: backend, engine statistics, zone repair)
 * and {@code repair} ({@code POST /admin/storage/repair}: one zone repair pass now), printed as {@code key: value}
 * lines (nested keys joined with dots).
 */
@Command(name = "storage", description = "Storage status and zone repair (admin API).",
        subcommands = {StorageCommand.Status.class, StorageCommand.Repair.class})
final class StorageCommand extends Group {

    @Command(name = "status", description = "Show the backend, the engine's statistics and zone repair progress.")
    static final class Status extends AdminCommand {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get("/admin/storage");
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }

    @Command(name = "repair", description = "Run a zone repair pass now; show what it did.")
    static final class Repair extends AdminCommand {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/storage/repair", null);
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }
}
