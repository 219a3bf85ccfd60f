package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/**
 * {@code strata storage ...}: {@code status} ({@code GET /admin/storage}: backend, engine statistics, zone repair)
 * {@code repair} ({@code POST /admin/storage/repair}: one zone repair pass now), {@code rotate-master-key} and
 * {@code rotate-data-key TENANT} (encryption at rest), {@code create-key TENANT NAME} and {@code keys TENANT} (a
 * tenant's customer-managed keys), printed as {@code key: value} lines (nested keys joined with
 * dots).
 */
@Command(name = "storage", description = "Storage status, zone repair and encryption keys (admin API).",
        subcommands = {StorageCommand.Status.class, StorageCommand.Repair.class, StorageCommand.RotateMasterKey.class,
            StorageCommand.RotateDataKey.class, StorageCommand.CreateKey.class, StorageCommand.Keys.class,
            StorageCommand.Compact.class})
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

    @Command(name = "rotate-master-key", description = "Make a new master key current and re-wrap every tenant's data "
            + "keys under it (no data is rewritten); the old key may then be retired.")
    static final class RotateMasterKey extends AdminCommand {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/storage/keys/rotate", null);
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }

    @Command(name = "rotate-data-key", description = "Start a new data key for a tenant: new writes use it, and "
            + "compaction re-encrypts older segments as it rewrites them.")
    static final class RotateDataKey extends AdminCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/storage/keys/" + java.net.URLEncoder.encode(tenant,
                    java.nio.charset.StandardCharsets.UTF_8) + "/rotate", null);
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }

    @Command(name = "create-key", description = "Create a customer managed key for a tenant; its tables name it with "
            + "CUSTOMER_MANAGED_KMS_KEY and kms_key_identifier.")
    static final class CreateKey extends AdminCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @picocli.CommandLine.Parameters(index = "1", paramLabel = "NAME", description = "The key's name.")
        String name;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/tenants/" + java.net.URLEncoder.encode(tenant,
                    java.nio.charset.StandardCharsets.UTF_8) + "/keys", AdminClient.JSON.createObjectNode().put("name", name));
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }

    @Command(name = "keys", description = "List a tenant's customer managed keys.")
    static final class Keys extends AdminCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get("/admin/tenants/" + java.net.URLEncoder.encode(tenant,
                    java.nio.charset.StandardCharsets.UTF_8) + "/keys");
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.table(env.out(), answer, java.util.List.of(new Output.Column("NAME", "name"),
                    new Output.Column("KMS_KEY_IDENTIFIER", "kmsKeyIdentifier")));
        }
    }

    @Command(name = "compact", description = "Flush and merge every table's segments into one (a major compaction).")
    static final class Compact extends AdminCommand {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/storage/compact", null);
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.fields(env.out(), answer);
        }
    }
}
