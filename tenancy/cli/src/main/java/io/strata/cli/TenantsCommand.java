package io.strata.cli;

import static io.strata.cli.AdminClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata tenants ...}: the admin API's tenants ({@code /admin/tenants}). {@code create} posts
 * {@code {"name": NAME}}; {@code list}, {@code get}, {@code suspend}, {@code resume} and {@code delete} map to
 * {@code GET /admin/tenants}, {@code GET /admin/tenants/NAME}, {@code POST .../NAME/suspend}, {@code POST .../NAME/resume}
 * and {@code DELETE /admin/tenants/NAME}. Each prints the tenants concerned as a table (NAME, STATE, CREATED, CHANGED).
 */
@Command(name = "tenants", description = "Create and manage tenants (admin API).",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.ListTenants.class, TenantsCommand.Get.class,
                TenantsCommand.Suspend.class, TenantsCommand.Resume.class, TenantsCommand.Delete.class})
final class TenantsCommand extends Group {
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("NAME", "name"),
            new Output.Column("STATE", "state"), new Output.Column("CREATED", "createdAt"),
            new Output.Column("CHANGED", "changedAt"));

    /** A command on one tenant whose answer is that tenant. */
    abstract static class OnTenant extends AdminCommand {
        @Parameters(paramLabel = "NAME", description = "The tenant.")
        String name;

        @Override
        void render(JsonNode answer, Env env) {
            Output.table(env.out(), answer, COLUMNS);
        }

        String path() {
            return "/admin/tenants/" + segment(name);
        }
    }

    @Command(name = "create", description = "Create a tenant (1 to 48 characters: a lowercase letter, then lowercase"
            + " letters, digits, _ or -).")
    static final class Create extends OnTenant {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post("/admin/tenants", AdminClient.JSON.createObjectNode().put("name", name));
        }
    }

    @Command(name = "list", description = "List the tenants.")
    static final class ListTenants extends AdminCommand {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get("/admin/tenants");
        }

        @Override
        void render(JsonNode answer, Env env) {
            Output.table(env.out(), answer, COLUMNS);
        }
    }

    @Command(name = "get", description = "Show one tenant.")
    static final class Get extends OnTenant {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get(path());
        }
    }

    @Command(name = "suspend", description = "Suspend a tenant: its logins are refused until it is resumed.")
    static final class Suspend extends OnTenant {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post(path() + "/suspend", null);
        }
    }

    @Command(name = "resume", description = "Resume a suspended tenant.")
    static final class Resume extends OnTenant {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.post(path() + "/resume", null);
        }
    }

    @Command(name = "delete", description = "Delete a tenant. Final: the name stays taken.")
    static final class Delete extends OnTenant {
        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.delete(path());
        }
    }
}
