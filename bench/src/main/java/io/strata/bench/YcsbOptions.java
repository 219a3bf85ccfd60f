package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ycsb} workload's command line: YCSB's core workload options, and the load tool's connection
 * and run options (host, port, token, consistency, duration, warm-up, concurrency, seed...) parsed by
 * {@link LoadOptions}. Immutable.
 *
 * @param common connection and run options; its {@code concurrency} applies only without {@code threads}
 * @param preset {@code load}, {@code a}, {@code b}, {@code c}, {@code 90-10}, or {@code custom} when the
 *     proportions were given one by one
 * @param threads synchronous client threads (each waits for its answer); 0: asynchronous, {@code concurrency}
 *     requests in flight from one thread
 * @param writeAllFields updates write every field (YCSB's {@code writeallfields=true}), or one random field
 */
record YcsbOptions(
        LoadOptions common,
        String preset,
        long records,
        int fields,
        int fieldLength,
        YcsbGenerators.Distribution distribution,
        int threads,
        double readProportion,
        double updateProportion,
        double insertProportion,
        boolean writeAllFields) {

    static final String USAGE = String.join("\n",
            "usage: LoadTool ycsb [options]   (YCSB core workload on usertable(y_id text PRIMARY KEY, field0..))",
            "  --workload W          load | A | B | C | 90-10 (A): load inserts every record once;",
            "                        A 50% read 50% update, B 95/5, C read only, 90-10 90% update 10% read",
            "  --read-proportion F, --update-proportion F, --insert-proportion F",
            "                        a custom mix instead of a preset (normalised)",
            "  --records N           records loaded / key space (50000)",
            "  --fields N            fields field0..fieldN-1 (10)",
            "  --field-length N      characters per field (100)",
            "  --distribution D      uniform | zipfian | latest (zipfian, constant 0.99, scrambled)",
            "  --threads N           N synchronous client threads instead of async --concurrency",
            "  --write-all-fields B  true: updates write every field; false: one random field (true)",
            "  --keyspace K, --table T  (ycsb, usertable)",
            "  --create-schema, --host, --port, --token-file, --password, --username, --dc, --protocol,",
            "  --connections, --timeout, --consistency, --seed, --concurrency, --ops, --duration, --warmup:",
            "                        as for the other workloads (load: --ops defaults to --records, --warmup to 0)");

    private static final Set<String> OWN = Set.of("workload", "records", "fields", "field-length", "distribution",
            "threads", "read-proportion", "update-proportion", "insert-proportion", "write-all-fields");
    private static final Set<String> NOT_FOR_YCSB = Set.of("rows", "read-ratio");

    YcsbOptions {
        requireNonNull(common, "common is null");
        requireNonNull(preset, "preset is null");
        requireNonNull(distribution, "distribution is null");
    }

    boolean isLoad() {
        return preset.equals("load");
    }

    /** The label reports show, e.g. {@code ycsb-a}, {@code ycsb-load}. */
    String label() {
        return "ycsb-" + preset;
    }

    /** @param args starting with "ycsb" */
    static YcsbOptions parse(String... args) {
        if (args.length == 0 || !args[0].equals("ycsb")) {
            throw new IllegalArgumentException("not a ycsb command line");
        }
        Map<String, String> own = new HashMap<>();
        List<String> rest = new ArrayList<>();
        rest.add("mixed");
        boolean keyspace = false;
        boolean table = false;
        boolean limit = false;
        boolean warmup = false;
        boolean concurrency = false;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(2, equals) : arg.substring(2);
            if (NOT_FOR_YCSB.contains(name)) {
                throw new IllegalArgumentException("--" + name + " is not a ycsb option (see --records and the proportions)");
            }
            if (OWN.contains(name)) {
                String value;
                if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                if (own.put(name, value) != null) {
                    throw new IllegalArgumentException("--" + name + " given twice");
                }
                continue;
            }
            keyspace |= name.equals("keyspace");
            table |= name.equals("table");
            limit |= name.equals("ops") || name.equals("duration");
            warmup |= name.equals("warmup");
            concurrency |= name.equals("concurrency");
            rest.add(arg);
            if (equals < 0 && !name.equals("create-schema") && i + 1 < args.length) {
                rest.add(args[++i]); // the option's value, checked by LoadOptions
            }
        }
        String preset = own.getOrDefault("workload", "a").toLowerCase(Locale.ROOT);
        long records = longOption(own, "records", 50_000, 1, Long.MAX_VALUE / 4);
        if (!keyspace) {
            rest.add("--keyspace=ycsb");
        }
        if (!table) {
            rest.add("--table=usertable");
        }
        if (preset.equals("load")) {
            if (!limit) {
                rest.add("--ops=" + records);
            }
            if (!warmup) {
                rest.add("--warmup=0");
            }
        }
        LoadOptions common = LoadOptions.parse(rest.toArray(String[]::new));

        boolean custom = own.containsKey("read-proportion") || own.containsKey("update-proportion")
                || own.containsKey("insert-proportion");
        if (custom && own.containsKey("workload")) {
            throw new IllegalArgumentException("give --workload or the proportions, not both");
        }
        double read;
        double update;
        double insert;
        if (custom) {
            preset = "custom";
            read = proportion(own, "read-proportion");
            update = proportion(own, "update-proportion");
            insert = proportion(own, "insert-proportion");
            if (read + update + insert <= 0) {
                throw new IllegalArgumentException("the proportions must not all be 0");
            }
        } else {
            double[] mix = switch (preset) {
                case "load" -> new double[] {0, 0, 1};
                case "a" -> new double[] {0.5, 0.5, 0};
                case "b" -> new double[] {0.95, 0.05, 0};
                case "c" -> new double[] {1, 0, 0};
                case "90-10" -> new double[] {0.1, 0.9, 0};
                default -> throw new IllegalArgumentException(
                        "--workload must be load, A, B, C or 90-10: '" + own.get("workload") + "'");
            };
            read = mix[0];
            update = mix[1];
            insert = mix[2];
        }
        int threads = (int) longOption(own, "threads", 0, 1, 4096);
        if (threads > 0 && concurrency) {
            throw new IllegalArgumentException("give --threads (synchronous) or --concurrency (async), not both");
        }
        String writeAll = own.getOrDefault("write-all-fields", "true").toLowerCase(Locale.ROOT);
        if (!writeAll.equals("true") && !writeAll.equals("false")) {
            throw new IllegalArgumentException("--write-all-fields must be true or false: '" + writeAll + "'");
        }
        return new YcsbOptions(common, preset, records,
                (int) longOption(own, "fields", 10, 1, 1000),
                (int) longOption(own, "field-length", 100, 1, 1_000_000),
                YcsbGenerators.Distribution.parse(own.getOrDefault("distribution", "zipfian")),
                threads, read, update, insert, writeAll.equals("true"));
    }

    private static long longOption(Map<String, String> values, String name, long fallback, long min, long max) {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: '" + text + "'");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }

    private static double proportion(Map<String, String> values, String name) {
        String text = values.getOrDefault(name, "0");
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number: '" + text + "'");
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("--" + name + " must be between 0 and 1: " + text);
        }
        return value;
    }
}
