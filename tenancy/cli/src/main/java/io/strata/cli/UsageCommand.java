package io.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata usage [TENANT]}: a bill from the usage ledger ({@code GET /admin/tenants/<t>/usage}, or
 * {@code GET /admin/usage} for every tenant), as a table of units and cost per period and table, or JSON.
 */
@Command(name = "usage", description = "Show a tenant's bill (or every tenant's): units and cost per table and period.")
final class UsageCommand extends AdminCommand {
    static final List<Output.Column> COLUMNS = List.of(new Output.Column("PERIOD", "period"),
            new Output.Column("TENANT", "tenant"), new Output.Column("KEYSPACE", "keyspace"),
            new Output.Column("TABLE", "table"), new Output.Column("RRU", "readRequestUnits"),
            new Output.Column("WRU", "writeRequestUnits"), new Output.Column("RCU-H", "provisionedReadCapacityUnitHours"),
            new Output.Column("WCU-H", "provisionedWriteCapacityUnitHours"),
            new Output.Column("THROTTLED-R", "readThrottleEvents"), new Output.Column("THROTTLED-W", "writeThrottleEvents"),
            new Output.Column("USD", "costUsd"));

    @Parameters(paramLabel = "TENANT", arity = "0..1", description = "The tenant (default: every tenant; operators only).")
    String tenant;

    @Option(names = "--from", description = "Start, an ISO-8601 instant (default: 24 hours before --to).")
    String from;

    @Option(names = "--to", description = "End, an ISO-8601 instant (default: now).")
    String to;

    @Option(names = "--daily", description = "One line per day instead of per hour.")
    boolean daily;

    @Override
    JsonNode call(AdminClient client, Env env) throws Exception {
        StringBuilder query = new StringBuilder("?granularity=").append(daily ? "day" : "hour");
        if (from != null) {
            query.append("&from=").append(URLEncoder.encode(from, StandardCharsets.UTF_8));
        }
        if (to != null) {
            query.append("&to=").append(URLEncoder.encode(to, StandardCharsets.UTF_8));
        }
        String path = tenant == null ? "/admin/usage" : "/admin/tenants/" + AdminClient.segment(tenant) + "/usage";
        return client.get(path + query);
    }

    @Override
    void render(JsonNode answer, Env env) {
        Output.table(env.out(), answer, COLUMNS);
    }
}
