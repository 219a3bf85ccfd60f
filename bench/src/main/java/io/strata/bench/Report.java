package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a measured phase: a table for people and one JSON line for machines (the last line the tool
 * prints). JSON latencies are in microseconds with one decimal; the table picks µs or ms per value.
 * Stateless and thread-safe.
 */
final class Report {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    /**
     * Describes the run for both renderings.
     *
     * @param workload its label, e.g. {@code read} or {@code ycsb-a}
     * @param threads whether {@code concurrency} counts synchronous client threads rather than async requests
     */
    record Context(String workload, String target, String protocol, String consistency, int concurrency,
            long rows, boolean threads) {
        Context {
            requireNonNull(workload, "workload is null");
            requireNonNull(target, "target is null");
            requireNonNull(protocol, "protocol is null");
            requireNonNull(consistency, "consistency is null");
        }

        Context(Workload workload, String target, String protocol, String consistency, int concurrency, long rows) {
            this(workload.label(), target, protocol, consistency, concurrency, rows, false);
        }
    }

    private Report() {}

    static String table(Context context, LoadRunner.PhaseResult result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s workload against %s (protocol %s, consistency %s), %s %d,"
                        + " %d keys, %.1f s measured%n", context.workload(), context.target(),
                context.protocol(), context.consistency(), context.threads() ? "client threads" : "concurrency",
                context.concurrency(), context.rows(), result.elapsedNanos() / 1e9));
        out.append(String.format(Locale.ROOT, "%-6s %12s %8s %11s %10s %10s %10s %10s %10s%n",
                "op", "ops", "errors", "ops/s", "mean", "p50", "p99", "p99.9", "max"));
        for (Map.Entry<LoadRunner.Kind, LoadRunner.KindStats> entry : result.stats().entrySet()) {
            LoadRunner.KindStats stats = entry.getValue();
            if (stats.completed() == 0) {
                continue;
            }
            LatencyHistogram h = stats.latencyNanos;
            out.append(String.format(Locale.ROOT, "%-6s %12d %8d %11.0f %10s %10s %10s %10s %10s%n",
                    entry.getKey().name().toLowerCase(Locale.ROOT), stats.succeeded(), stats.errors.sum(),
                    stats.succeeded() * 1e9 / Math.max(1, result.elapsedNanos()),
                    human(h.mean()), human(h.valueAtPercentile(50)), human(h.valueAtPercentile(99)),
                    human(h.valueAtPercentile(99.9)), human(h.max())));
        }
        out.append(String.format(Locale.ROOT, "%-6s %12d %8d %11.0f%n", "total", result.succeeded(), result.errors(),
                result.opsPerSecond()));
        LoadRunner.KindStats reads = result.stats().get(LoadRunner.Kind.READ);
        if (reads.missing.sum() > 0 || reads.mismatches.sum() > 0) {
            out.append(String.format(Locale.ROOT, "reads: %d found no row, %d returned unexpected content%n",
                    reads.missing.sum(), reads.mismatches.sum()));
        }
        result.errorCounts().forEach((type, count) -> out.append(String.format(Locale.ROOT,
                "errors: %d x %s, e.g. %s%n", count, type, result.errorSamples().get(type))));
        return out.toString();
    }

    static String json(Context context, LoadRunner.PhaseResult result) {
        List<String> fields = new ArrayList<>();
        fields.add(field("tool", quote("strata-load")));
        fields.add(field("workload", quote(context.workload())));
        fields.add(field("target", quote(context.target())));
        fields.add(field("protocol", quote(context.protocol())));
        fields.add(field("consistency", quote(context.consistency())));
        fields.add(field(context.threads() ? "threads" : "concurrency", Integer.toString(context.concurrency())));
        fields.add(field("rows", Long.toString(context.rows())));
        fields.add(field("duration_s", decimal(result.elapsedNanos() / 1e9, 3)));
        fields.add(field("ops", Long.toString(result.succeeded())));
        fields.add(field("errors", Long.toString(result.errors())));
        fields.add(field("ops_per_s", decimal(result.opsPerSecond(), 1)));
        for (Map.Entry<LoadRunner.Kind, LoadRunner.KindStats> entry : result.stats().entrySet()) {
            LoadRunner.KindStats stats = entry.getValue();
            if (stats.completed() == 0) {
                continue;
            }
            List<String> kind = new ArrayList<>();
            kind.add(field("ops", Long.toString(stats.succeeded())));
            kind.add(field("errors", Long.toString(stats.errors.sum())));
            kind.add(field("ops_per_s", decimal(stats.succeeded() * 1e9 / Math.max(1, result.elapsedNanos()), 1)));
            if (entry.getKey() == LoadRunner.Kind.READ) {
                kind.add(field("missing", Long.toString(stats.missing.sum())));
                kind.add(field("mismatches", Long.toString(stats.mismatches.sum())));
            }
            kind.add(field("latency_us", latency(stats.latencyNanos)));
            fields.add(field(entry.getKey().name().toLowerCase(Locale.ROOT), "{" + String.join(",", kind) + "}"));
        }
        List<String> errors = new ArrayList<>();
        result.errorCounts().forEach((type, count) -> errors.add(field(type, Long.toString(count))));
        fields.add(field("error_types", "{" + String.join(",", errors) + "}"));
        return "{" + String.join(",", fields) + "}";
    }

    private static String latency(LatencyHistogram h) {
        List<String> parts = new ArrayList<>();
        parts.add(field("mean", decimal(h.mean() / 1e3, 1)));
        for (double p : PERCENTILES) {
            String name = p == 99.9 ? "p999" : "p" + (int) p;
            parts.add(field(name, decimal(h.valueAtPercentile(p) / 1e3, 1)));
        }
        parts.add(field("max", decimal(h.max() / 1e3, 1)));
        return "{" + String.join(",", parts) + "}";
    }

    /** Formats nanoseconds as µs below one millisecond, as ms above. */
    static String human(double nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String field(String name, String jsonValue) {
        return quote(name) + ":" + jsonValue;
    }

    private static String decimal(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
