package io.strata.gateway.billing;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bill: the ledger's rows in a time range, summed per tenant, table and hour or day, priced with a
 * {@link BillingConfig.Prices price table}. Units are exact (thousandths summed, then divided); costs are rounded
 * to a millionth of a dollar per line. Stateless.
 */
public final class UsageReport {
    /** How lines are grouped in time. */
    public enum Granularity { HOUR, DAY }

    /** One line of a bill. */
    public record Line(String period, String tenant, String keyspace, String table, BigDecimal readRequestUnits,
            BigDecimal writeRequestUnits, BigDecimal provisionedReadCapacityUnitHours,
            BigDecimal provisionedWriteCapacityUnitHours, BigDecimal readUnitsWithinProvisioned,
            BigDecimal writeUnitsWithinProvisioned, long readThrottleEvents, long writeThrottleEvents,
            BigDecimal storageGbMonths, long ttlDeleteUnits, BigDecimal pitrGbMonths, BigDecimal restoredGb,
            BigDecimal costUsd) {}

    private UsageReport() {}

    /**
     * @param rows the ledger's rows summed over nodes ({@link UsageLedger#scan})
     * @param from inclusive, rounded down to its hour
     * @param to exclusive
     */
    public static List<Line> lines(Map<LedgerKey, Usage> rows, Instant from, Instant to, Granularity granularity,
            BillingConfig.Prices prices) {
        requireNonNull(granularity, "granularity is null");
        String fromHour = UsageLedger.HOUR.format(from);
        String toHour = UsageLedger.HOUR.format(to.minusNanos(1));
        Map<List<String>, Usage> grouped = new LinkedHashMap<>();
        for (Map.Entry<LedgerKey, Usage> e : rows.entrySet()) {
            LedgerKey k = e.getKey();
            if (k.hour().compareTo(fromHour) < 0 || k.hour().compareTo(toHour) > 0) {
                continue;
            }
            String period = granularity == Granularity.HOUR ? hourLabel(k.hour()) : dayLabel(k.hour());
            grouped.merge(List.of(period, k.tenant(), k.keyspace(), k.table()), e.getValue(), Usage::plus);
        }
        List<Line> out = new ArrayList<>();
        grouped.forEach((g, u) -> out.add(line(g, u, prices)));
        out.sort(java.util.Comparator.comparing(Line::period).thenComparing(Line::tenant).thenComparing(Line::keyspace)
                .thenComparing(Line::table));
        return out;
    }

    private static Line line(List<String> g, Usage u, BillingConfig.Prices p) {
        BigDecimal rru = milli(u.onDemandReadMilli());
        BigDecimal wru = milli(u.onDemandWriteMilli());
        BigDecimal rcuHours = BigDecimal.valueOf(u.provisionedReadUnitMillis()).divide(BigDecimal.valueOf(3_600_000L),
                6, RoundingMode.HALF_UP);
        BigDecimal wcuHours = BigDecimal.valueOf(u.provisionedWriteUnitMillis()).divide(BigDecimal.valueOf(3_600_000L),
                6, RoundingMode.HALF_UP);
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        // byte-milliseconds → GB-months: 2^30 bytes, 730 hours of 3,600,000 ms
        BigDecimal gbMonths = BigDecimal.valueOf(u.storageByteMillis()).divide(BigDecimal.valueOf(1L << 30)
                .multiply(BigDecimal.valueOf(730L * 3_600_000L)), 12, RoundingMode.HALF_UP);
        BigDecimal pitrGbMonths = BigDecimal.valueOf(u.pitrByteMillis()).divide(BigDecimal.valueOf(1L << 30)
                .multiply(BigDecimal.valueOf(730L * 3_600_000L)), 12, RoundingMode.HALF_UP);
        BigDecimal restoredGb = BigDecimal.valueOf(u.restoredBytes()).divide(BigDecimal.valueOf(1L << 30), 12,
                RoundingMode.HALF_UP);
        BigDecimal cost = rru.multiply(BigDecimal.valueOf(p.readRequestUnitsPerMillion())).divide(million, 12,
                RoundingMode.HALF_UP)
                .add(wru.multiply(BigDecimal.valueOf(p.writeRequestUnitsPerMillion())).divide(million, 12,
                        RoundingMode.HALF_UP))
                .add(rcuHours.multiply(BigDecimal.valueOf(p.readCapacityUnitHour())))
                .add(wcuHours.multiply(BigDecimal.valueOf(p.writeCapacityUnitHour())))
                .add(gbMonths.multiply(BigDecimal.valueOf(p.storageGbMonth())))
                .add(BigDecimal.valueOf(u.ttlDeleteUnits()).multiply(BigDecimal.valueOf(p.ttlDeletesPerMillion()))
                        .divide(million, 12, RoundingMode.HALF_UP))
                .add(pitrGbMonths.multiply(BigDecimal.valueOf(p.pitrGbMonth())))
                .add(restoredGb.multiply(BigDecimal.valueOf(p.restorePerGb())))
                .setScale(6, RoundingMode.HALF_UP);
        return new Line(g.get(0), g.get(1), g.get(2), g.get(3), rru, wru, rcuHours, wcuHours,
                milli(u.provisionedReadMilli()), milli(u.provisionedWriteMilli()), u.readThrottles(), u.writeThrottles(),
                gbMonths.stripTrailingZeros().scale() < 0 ? gbMonths.setScale(0) : gbMonths.stripTrailingZeros(),
                u.ttlDeleteUnits(), plain(pitrGbMonths), plain(restoredGb), cost);
    }

    private static BigDecimal plain(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static BigDecimal milli(long thousandths) {
        BigDecimal units = BigDecimal.valueOf(thousandths, 3).stripTrailingZeros();
        return units.scale() < 0 ? units.setScale(0) : units;
    }

    private static String hourLabel(String hour) {
        return LocalDateTime.parse(hour, DateTimeFormatter.ofPattern("yyyyMMddHH")).toInstant(ZoneOffset.UTC).toString();
    }

    private static String dayLabel(String hour) {
        return hour.substring(0, 4) + "-" + hour.substring(4, 6) + "-" + hour.substring(6, 8);
    }

    /** The lines as CSV (RFC 4180; a header line; dollars and units as plain decimals). */
    public static String csv(List<Line> lines) {
        StringBuilder b = new StringBuilder("period,tenant,keyspace,table,read_request_units,write_request_units,"
                + "provisioned_rcu_hours,provisioned_wcu_hours,read_units_within_provisioned,"
                + "write_units_within_provisioned,read_throttle_events,write_throttle_events,storage_gb_months,ttl_delete_units,"
                + "pitr_gb_months,restored_gb,cost_usd\r\n");
        for (Line l : lines) {
            b.append(String.join(",", l.period(), quote(l.tenant()), quote(l.keyspace()), quote(l.table()),
                    l.readRequestUnits().toPlainString(), l.writeRequestUnits().toPlainString(),
                    l.provisionedReadCapacityUnitHours().toPlainString(),
                    l.provisionedWriteCapacityUnitHours().toPlainString(), l.readUnitsWithinProvisioned().toPlainString(),
                    l.writeUnitsWithinProvisioned().toPlainString(), Long.toString(l.readThrottleEvents()),
                    Long.toString(l.writeThrottleEvents()), l.storageGbMonths().toPlainString(),
                    Long.toString(l.ttlDeleteUnits()), l.pitrGbMonths().toPlainString(), l.restoredGb().toPlainString(),
                    l.costUsd().toPlainString()))
                    .append("\r\n");
        }
        return b.toString();
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_.-]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
