package io.strata.gateway.billing;

import io.strata.gateway.admin.AdminProblems;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Billing reports from the usage ledger: {@code GET /admin/tenants/<t>/usage} (an operator, or that tenant's
 * tenant admins) and {@code GET /admin/usage} (operators, every tenant), with {@code from} and {@code to} (ISO-8601
 * instants; default the last 24 hours), {@code granularity} {@code hour} or {@code day}, and {@code format}
 * {@code json} or {@code csv}. Who may read what is decided by the admin API's filter before this runs.
 */
@Path("/admin/usage")
@Tag(name = "billing", description = "Usage and billing reports")
public class UsageResource {
    @Inject
    UsageLedger ledger;

    @Inject
    BillingConfig billing;

    @Inject
    TenantDirectory tenants;

    @Inject
    Clock clock;

    /** One tenant's bill; a separate resource class, so JAX-RS matches it before {@code /admin/tenants}. */
    @Path("/admin/tenants/{name}/usage")
    @Tag(name = "billing")
    public static class TenantUsage {
        @Inject
        UsageResource reports;

        @Inject
        TenantDirectory tenants;

        @GET
        @Produces({"application/json", "text/csv"})
        @Operation(summary = "A tenant's bill: usage and cost per table and hour or day")
        public Response tenant(@PathParam("name") String name, @QueryParam("from") String from,
                @QueryParam("to") String to, @QueryParam("granularity") @DefaultValue("hour") String granularity,
                @QueryParam("format") @DefaultValue("json") String format) {
            tenants.find(name).orElseThrow(() -> new TenantDirectoryException.NotFound(name));
            return reports.report(name, from, to, granularity, format);
        }
    }

    @GET
    @Produces({"application/json", "text/csv"})
    @Operation(summary = "Every tenant's bill (operators)")
    public Response all(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("granularity") @DefaultValue("hour") String granularity,
            @QueryParam("format") @DefaultValue("json") String format) {
        return report(null, from, to, granularity, format);
    }

    Response report(String tenant, String fromText, String toText, String granularityText, String format) {
        Instant to = instant("to", toText, clock.instant());
        Instant from = instant("from", fromText, to.minus(Duration.ofDays(1)));
        if (!from.isBefore(to)) {
            throw bad("from must be before to");
        }
        UsageReport.Granularity granularity;
        try {
            granularity = UsageReport.Granularity.valueOf(granularityText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("granularity must be hour or day, not '" + granularityText + "'");
        }
        // reads and throttle events of the last seconds are in memory: write them first, so the bill is current
        ledger.flush();
        List<UsageReport.Line> lines = UsageReport.lines(ledger.scan(tenant), from, to, granularity, billing.prices());
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "json" -> Response.ok(lines, "application/json").build();
            case "csv" -> Response.ok(UsageReport.csv(lines), "text/csv").build();
            default -> throw bad("format must be json or csv, not '" + format + "'");
        };
    }

    private static Instant instant(String name, String text, Instant absent) {
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw bad(name + " must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, not '" + text + "'");
        }
    }

    private static WebApplicationException bad(String detail) {
        return new WebApplicationException(AdminProblems.problem(400, "Bad Request", detail));
    }
}
