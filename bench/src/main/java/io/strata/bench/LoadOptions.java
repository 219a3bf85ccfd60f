package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The load tool's command line, parsed and validated. Immutable.
 *
 * @param ops stop after this many operations (0: run for {@code duration})
 * @param duration stop after this long (zero: run {@code ops} operations)
 * @param protocol {@code V4}, {@code V5}, or empty to let the driver negotiate
 * @param username SASL username; empty with no password means no authentication (plain Cassandra)
 */
record LoadOptions(
        Workload workload,
        String host,
        int port,
        Optional<String> username,
        Optional<String> password,
        Optional<Path> tokenFile,
        String keyspace,
        String table,
        long ops,
        Duration duration,
        int concurrency,
        long rows,
        Duration warmup,
        Optional<String> protocol,
        boolean createSchema,
        String dc,
        int connections,
        double readRatio,
        Duration timeout,
        String consistency,
        long seed,
        long firstKey) {

    static final String USAGE = String.join("\n",
            "usage: LoadTool <write|read|mixed> [options]   (LoadTool ycsb --help: the YCSB workload)",
            "  --host H            contact point (127.0.0.1)",
            "  --port P            CQL port (9042)",
            "  --username U        SASL username (\"token\" when a password or token file is given)",
            "  --password P        SASL password, e.g. a Strata token",
            "  --token-file F      read the password from F (e.g. <data>/dev-token)",
            "  --keyspace K        keyspace (strata_bench)",
            "  --table T           table (kv)",
            "  --ops N             stop after N operations, or",
            "  --duration S        stop after S seconds (default 30 when neither is given)",
            "  --concurrency C     async requests in flight (64)",
            "  --rows R            key space: keys 0..R-1 (100000)",
            "  --warmup S          seconds of unmeasured load first (5)",
            "  --protocol v4|v5    native protocol version (default: negotiate)",
            "  --create-schema     create the keyspace and table if absent",
            "  --dc D              local datacenter name the server reports (datacenter1)",
            "  --connections N     connections to the node (1)",
            "  --read-ratio F      share of reads in the mixed workload (0.5)",
            "  --timeout S         request timeout in seconds (10)",
            "  --consistency CL    ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM or ALL (LOCAL_ONE)",
            "  --seed N            random seed for keys and the mix (42)",
            "  --first-key K       write: the first key written, then sequential modulo --rows (0)");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
    private static final Set<String> FLAGS = Set.of("create-schema");
    private static final Set<String> OPTIONS = Set.of("host", "port", "username", "password", "token-file",
            "keyspace", "table", "ops", "duration", "concurrency", "rows", "warmup", "protocol", "dc",
            "connections", "read-ratio", "timeout", "consistency", "seed", "first-key");
    private static final Set<String> CONSISTENCY_LEVELS = Set.of("ONE", "LOCAL_ONE", "QUORUM", "LOCAL_QUORUM", "ALL");

    LoadOptions {
        requireNonNull(workload, "workload is null");
        requireNonNull(host, "host is null");
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
        requireNonNull(tokenFile, "tokenFile is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(warmup, "warmup is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(dc, "dc is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(consistency, "consistency is null");
    }

    @Override
    public String toString() {
        // never print the password: it is usually a bearer token
        return "LoadOptions[workload=" + workload.label() + ", target=" + host + ":" + port + ", keyspace=" + keyspace
                + ", table=" + table + ", concurrency=" + concurrency + ", rows=" + rows + "]";
    }

    /** Whether the driver should authenticate (a password or token file was given). */
    boolean authenticates() {
        return password.isPresent() || tokenFile.isPresent();
    }

    /**
     * @throws IllegalArgumentException with a message for the user on any invalid argument
     */
    static LoadOptions parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing workload");
        }
        Workload workload = Workload.parse(args[0]);
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(2, equals) : arg.substring(2);
            String value;
            if (FLAGS.contains(name)) {
                if (equals > 0) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                value = "true";
            } else if (OPTIONS.contains(name)) {
                if (equals > 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return build(workload, values);
    }

    private static LoadOptions build(Workload workload, Map<String, String> values) {
        if (values.containsKey("password") && values.containsKey("token-file")) {
            throw new IllegalArgumentException("give --password or --token-file, not both");
        }
        boolean authenticates = values.containsKey("password") || values.containsKey("token-file");
        if (values.containsKey("username") && !authenticates) {
            throw new IllegalArgumentException("--username needs --password or --token-file");
        }
        if (values.containsKey("ops") && values.containsKey("duration")) {
            throw new IllegalArgumentException("give --ops or --duration, not both");
        }
        long ops = values.containsKey("ops") ? positiveLong(values, "ops") : 0;
        Duration duration = values.containsKey("duration") ? seconds(values, "duration", false)
                : ops == 0 ? Duration.ofSeconds(30) : Duration.ZERO;
        return new LoadOptions(
                workload,
                values.getOrDefault("host", "127.0.0.1"),
                (int) range(values, "port", 9042, 1, 65535),
                authenticates ? Optional.of(values.getOrDefault("username", "token")) : Optional.empty(),
                Optional.ofNullable(values.get("password")),
                Optional.ofNullable(values.get("token-file")).map(Path::of),
                identifier(values, "keyspace", "strata_bench"),
                identifier(values, "table", "kv"),
                ops,
                duration,
                (int) range(values, "concurrency", 64, 1, 32_768),
                range(values, "rows", 100_000, 1, Long.MAX_VALUE),
                values.containsKey("warmup") ? seconds(values, "warmup", true) : Duration.ofSeconds(5),
                protocol(values.get("protocol")),
                values.containsKey("create-schema"),
                nonBlank(values, "dc", "datacenter1"),
                (int) range(values, "connections", 1, 1, 64),
                ratio(values.getOrDefault("read-ratio", "0.5")),
                values.containsKey("timeout") ? seconds(values, "timeout", false) : Duration.ofSeconds(10),
                consistency(values.getOrDefault("consistency", "LOCAL_ONE")),
                range(values, "seed", 42, Long.MIN_VALUE, Long.MAX_VALUE),
                range(values, "first-key", 0, 0, Long.MAX_VALUE));
    }

    private static long positiveLong(Map<String, String> values, String name) {
        return range(values, name, 0, 1, Long.MAX_VALUE);
    }

    private static long range(Map<String, String> values, String name, long fallback, long min, long max) {
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

    private static Duration seconds(Map<String, String> values, String name, boolean zeroAllowed) {
        String text = values.get(name);
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number of seconds: '" + text + "'");
        }
        int sign = seconds.signum();
        if (sign < 0 || (sign == 0 && !zeroAllowed) || seconds.compareTo(BigDecimal.valueOf(365L * 24 * 3600)) > 0) {
            throw new IllegalArgumentException("--" + name + " out of range: " + text);
        }
        return Duration.ofNanos(seconds.movePointRight(9).longValue());
    }

    private static String identifier(Map<String, String> values, String name, String fallback) {
        String value = values.getOrDefault(name, fallback);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException("--" + name + " must be an unquoted CQL identifier: '" + value + "'");
        }
        return value;
    }

    private static String nonBlank(Map<String, String> values, String name, String fallback) {
        String value = values.getOrDefault(name, fallback);
        if (value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is blank");
        }
        return value;
    }

    private static Optional<String> protocol(String text) {
        if (text == null || text.equalsIgnoreCase("auto")) {
            return Optional.empty();
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (!upper.equals("V4") && !upper.equals("V5")) {
            throw new IllegalArgumentException("--protocol must be v4, v5 or auto: '" + text + "'");
        }
        return Optional.of(upper);
    }

    private static double ratio(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--read-ratio must be a number: '" + text + "'");
        }
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("--read-ratio must be between 0 and 1: " + text);
        }
        return value;
    }

    private static String consistency(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!CONSISTENCY_LEVELS.contains(upper)) {
            throw new IllegalArgumentException("--consistency must be one of " + CONSISTENCY_LEVELS + ": '" + text + "'");
        }
        return upper;
    }
}
