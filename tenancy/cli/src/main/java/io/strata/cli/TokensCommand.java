package io.strata.cli;

import static io.strata.cli.AdminClient.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strata.tenancy.TokenIssuer;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code strata tokens ...}: tenant tokens the gateway issues and records (admin API).
 * <ul>
 *   <li>{@code issue TENANT --subject S [--ttl 30d] [--allow G,..] [--tenant-admin]}: {@code POST
 *       /admin/tenants/TENANT/tokens} with {@code {"subject", "lifetime" (ISO-8601), "permissions" (absent without
 *       --allow), "tenantAdmin"}}; prints only the token (or, with {@code --json}, the whole record), its id and
 *       expiry go to stderr.</li>
 *   <li>{@code list TENANT}: {@code GET /admin/tenants/TENANT/tokens}, as a table.</li>
 *   <li>{@code revoke TENANT TOKEN_ID}: {@code DELETE /admin/tenants/TENANT/tokens/TOKEN_ID};
 *       {@code revoke TENANT --subject S}: {@code POST /admin/tenants/TENANT/revocations} with {@code {"subject"}},
 *       which withdraws every token of S issued so far.</li>
 * </ul>
 */
@Command(name = "tokens", description = "Issue, list and revoke a tenant's tokens (admin API).",
        subcommands = {TokensCommand.Issue.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
final class TokensCommand extends Group {
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("TOKEN ID", "tokenId"),
            new Output.Column("SUBJECT", "subject"), new Output.Column("ADMIN", "tenantAdmin"),
            new Output.Column("PERMISSIONS", "permissions"), new Output.Column("ISSUED", "issuedAt"),
            new Output.Column("EXPIRES", "expiresAt"));

    @Command(name = "issue", description = {"Issue a token for a tenant; print only the token.",
            "Without --allow the token may do everything in its tenant."})
    static final class Issue extends AdminCommand {
        @Parameters(paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Option(names = "--subject", required = true, paramLabel = "SUBJECT", description = "The principal.")
        String subject;

        @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "30d",
                description = "How long it is valid (default ${DEFAULT-VALUE}): e.g. 3600s, 90m, 12h, 30d, P30D;"
                        + " at most the server's strata.auth.max-token-lifetime.")
        String ttl;

        @Option(names = "--allow", split = ",", paramLabel = "GRANT",
                description = "Limit the token, e.g. SELECT:app.users,SELECT|MODIFY:app.*")
        List<String> allow;

        @Option(names = "--tenant-admin", description = "Add the role '" + TokenIssuer.TENANT_ADMIN_ROLE + "'.")
        boolean tenantAdmin;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            Duration lifetime = TokenCommand.duration(spec, ttl, "--ttl");
            if (lifetime.getSeconds() < 1) {
                throw new ParameterException(spec.commandLine(), "--ttl must be at least 1 second: " + ttl);
            }
            TokenCommand.checkGrants(spec, allow);
            ObjectNode body = AdminClient.JSON.createObjectNode().put("subject", subject)
                    .put("lifetime", lifetime.toString());
            if (allow != null) {
                ArrayNode permissions = body.putArray("permissions");
                allow.forEach(permissions::add);
            }
            body.put("tenantAdmin", tenantAdmin);
            return client.post("/admin/tenants/" + segment(tenant) + "/tokens", body);
        }

        @Override
        void render(JsonNode answer, Env env) {
            if (!answer.path("token").isTextual()) {
                throw new CliException("the server's answer holds no token: " + answer);
            }
            env.err().println("issued token " + Output.text(answer.path("tokenId")) + " for " + subject + " in "
                    + tenant + ", expires " + Output.text(answer.path("expiresAt")));
            env.out().println(answer.path("token").asText());
        }
    }

    @Command(name = "list", description = "List a tenant's tokens (without the tokens themselves).")
    static final class ListTokens extends AdminCommand {
        @Parameters(paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            return client.get("/admin/tenants/" + segment(tenant) + "/tokens");
        }

        @Override
        void render(JsonNode answer, Env env) {
            JsonNode rows = answer.deepCopy();
            for (JsonNode row : rows) {
                // no permissions claim: the token may do everything in its tenant
                if (row.isObject() && (row.path("permissions").isNull() || row.path("permissions").isMissingNode())) {
                    ((ObjectNode) row).put("permissions", "all");
                }
            }
            Output.table(env.out(), rows, COLUMNS);
        }
    }

    @Command(name = "revoke", description = {"Revoke one token by its id, or every token of a subject issued so far.",
            "Logins with them are refused, open connections are told to reconnect."})
    static final class Revoke extends AdminCommand {
        @Parameters(index = "0", paramLabel = "TENANT", description = "The tenant.")
        String tenant;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TOKEN_ID", description = "The token's id (jti).")
        String tokenId;

        @Option(names = "--subject", paramLabel = "SUBJECT", description = "Revoke all of this subject's tokens.")
        String subject;

        @Override
        JsonNode call(AdminClient client, Env env) throws Exception {
            if ((tokenId == null) == (subject == null)) {
                throw new ParameterException(spec.commandLine(), "give exactly one of TOKEN_ID and --subject");
            }
            String base = "/admin/tenants/" + segment(tenant);
            return tokenId != null ? client.delete(base + "/tokens/" + segment(tokenId))
                    : client.post(base + "/revocations", AdminClient.JSON.createObjectNode().put("subject", subject));
        }

        @Override
        void render(JsonNode answer, Env env) {
            env.out().println(tokenId != null ? "revoked token " + tokenId + " of tenant " + tenant
                    : "revoked the tokens of " + subject + " in tenant " + tenant + " issued until "
                            + Output.text(answer.path("at")));
        }
    }
}
