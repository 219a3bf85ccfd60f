package io.strata.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A driver-based load generator for Strata and, for comparison, plain Apache Cassandra: the same
 * DataStax Java driver, prepared statements, schema, key distribution and concurrency against either.
 * See {@code docs/load-tool.md}. Prints a table and, as its last line, one JSON object. Exit status: 0 if
 * every measured request succeeded, 1 if any failed (or the run could not start), 2 on a usage error.
 */
public final class LoadTool {
    /** Longest a DDL statement of {@code --create-schema} may take (Cassandra waits for schema agreement). */
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REQUESTS_PER_CONNECTION = 32_768;

    private LoadTool() {}

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int status = run(args, System.out, System.err);
        System.out.flush();
        // driver threads may linger briefly after close; the result is already printed
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && List.of("help", "-h", "--help").contains(args[0])) {
            out.println(LoadOptions.USAGE);
            return 0;
        }
        if (args.length > 0 && args[0].equals("ycsb")) {
            return YcsbTool.run(args, out, err);
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(LoadOptions.USAGE);
            return 2;
        }
        String password;
        try {
            password = password(options);
        } catch (IOException e) {
            err.println("error: cannot read the token file: " + e);
            return 1;
        }
        try (CqlSession session = open(options, password)) {
            return measure(options, session, out, err);
        } catch (DriverException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        }
    }

    private static int measure(LoadOptions options, CqlSession session, PrintStream out, PrintStream err)
            throws InterruptedException {
        BenchTable table = new BenchTable(options.keyspace(), options.table());
        if (options.createSchema()) {
            for (String ddl : table.schemaStatements()) {
                session.execute(SimpleStatement.newInstance(ddl).setTimeout(SCHEMA_TIMEOUT));
            }
        }
        PreparedStatement insert = options.workload() == Workload.READ ? null : session.prepare(table.insert());
        PreparedStatement select = options.workload() == Workload.WRITE ? null : session.prepare(table.select());
        LoadRunner.Operation operation = new DriverOperation(session, insert, select, options.workload(),
                options.rows(), options.readRatio(), options.seed(), options.firstKey());
        LoadRunner runner = new LoadRunner(options.concurrency(), System::nanoTime);

        if (!options.warmup().isZero()) {
            err.printf(Locale.ROOT, "warming up for %.1f s...%n", options.warmup().toNanos() / 1e9);
            runner.run(operation, LoadRunner.Limit.duration(options.warmup()));
        }
        LoadRunner.Limit limit = options.ops() > 0
                ? LoadRunner.Limit.operations(options.ops())
                : LoadRunner.Limit.duration(options.duration());
        err.println(options.ops() > 0
                ? "measuring " + options.ops() + " operations..."
                : String.format(Locale.ROOT, "measuring for %.1f s...", options.duration().toNanos() / 1e9));
        LoadRunner.PhaseResult result = runner.run(operation, limit);

        Report.Context context = new Report.Context(options.workload(), options.host() + ":" + options.port(),
                session.getContext().getProtocolVersion().toString(), options.consistency(), options.concurrency(),
                options.rows());
        out.print(Report.table(context, result));
        out.println(Report.json(context, result));
        if (result.stats().get(LoadRunner.Kind.READ).missing.sum() > 0) {
            err.println("warning: some reads found no row; load every key first, e.g. "
                    + "write --ops " + options.rows() + " --rows " + options.rows());
        }
        return result.errors() > 0 ? 1 : 0;
    }

    static CqlSession open(LoadOptions options, String password) {
        ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, options.timeout())
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, options.consistency())
                .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, options.connections())
                .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, maxRequestsPerConnection(options));
        options.protocol().ifPresent(version -> config.withString(DefaultDriverOption.PROTOCOL_VERSION, version));
        CqlSessionBuilder builder = CqlSession.builder()
                .withConfigLoader(config.build())
                .addContactPoint(new InetSocketAddress(options.host(), options.port()))
                .withLocalDatacenter(options.dc());
        if (password != null) {
            builder.withAuthCredentials(options.username().orElse("token"), password);
        }
        return builder.build();
    }

    /** Enough stream ids per connection for the configured concurrency (the driver's default is 1024). */
    static int maxRequestsPerConnection(LoadOptions options) {
        int perConnection = (options.concurrency() + options.connections() - 1) / options.connections();
        return Math.min(MAX_REQUESTS_PER_CONNECTION, Math.max(1024, perConnection));
    }

    static String password(LoadOptions options) throws IOException {
        if (options.password().isPresent()) {
            return options.password().get();
        }
        if (options.tokenFile().isPresent()) {
            return Files.readString(options.tokenFile().get(), StandardCharsets.UTF_8).strip();
        }
        return null;
    }
}
