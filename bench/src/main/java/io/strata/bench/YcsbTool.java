package io.strata.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load tool's {@code ycsb} workload (see {@code docs/load-tool.md}): YCSB's core workload against any CQL
 * endpoint, with synchronous client threads ({@code --threads}) or asynchronous requests in flight
 * ({@code --concurrency}). Prints the load tool's table and JSON line.
 */
final class YcsbTool {
    private static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(60);

    private YcsbTool() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 1 && List.of("help", "-h", "--help").contains(args[1])) {
            out.println(YcsbOptions.USAGE);
            return 0;
        }
        YcsbOptions options;
        try {
            options = YcsbOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(YcsbOptions.USAGE);
            return 2;
        }
        String password;
        try {
            password = LoadTool.password(options.common());
        } catch (IOException e) {
            err.println("error: cannot read the token file: " + e);
            return 1;
        }
        try (CqlSession session = LoadTool.open(options.common(), password)) {
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

    private static int measure(YcsbOptions options, CqlSession session, PrintStream out, PrintStream err)
            throws InterruptedException {
        LoadOptions common = options.common();
        YcsbWorkload.Table table = new YcsbWorkload.Table(common.keyspace(), common.table(), options.fields());
        if (common.createSchema()) {
            for (String ddl : table.schemaStatements()) {
                session.execute(SimpleStatement.newInstance(ddl).setTimeout(SCHEMA_TIMEOUT));
            }
        }
        YcsbWorkload.Statements statements = new YcsbWorkload.Statements(session, table, options.writeAllFields());
        AtomicLong records = new AtomicLong(options.isLoad() ? 0 : options.records());
        SplittableRandom seeds = new SplittableRandom(common.seed());
        int clients = Math.max(1, options.threads());
        List<YcsbWorkload.Client> perClient = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            perClient.add(new YcsbWorkload.Client(options, records, seeds.split()));
        }

        Phase phase;
        if (options.threads() > 0) {
            ThreadRunner runner = new ThreadRunner(options.threads(), System::nanoTime);
            phase = limit -> runner.run(i -> YcsbWorkload.sync(session, statements, perClient.get(i)), limit);
        } else {
            LoadRunner runner = new LoadRunner(common.concurrency(), System::nanoTime);
            LoadRunner.Operation operation = YcsbWorkload.async(session, statements, perClient.get(0));
            phase = limit -> runner.run(operation, limit);
        }
        if (!common.warmup().isZero()) {
            err.printf(Locale.ROOT, "warming up for %.1f s...%n", common.warmup().toNanos() / 1e9);
            phase.run(LoadRunner.Limit.duration(common.warmup()));
        }
        LoadRunner.Limit limit = common.ops() > 0
                ? LoadRunner.Limit.operations(common.ops())
                : LoadRunner.Limit.duration(common.duration());
        err.println(common.ops() > 0
                ? "measuring " + common.ops() + " operations..."
                : String.format(Locale.ROOT, "measuring for %.1f s...", common.duration().toNanos() / 1e9));
        LoadRunner.PhaseResult result = phase.run(limit);

        Report.Context context = new Report.Context(options.label(), common.host() + ":" + common.port(),
                session.getContext().getProtocolVersion().toString(), common.consistency(),
                options.threads() > 0 ? options.threads() : common.concurrency(), options.records(),
                options.threads() > 0);
        out.print(Report.table(context, result));
        out.println(Report.json(context, result));
        if (result.stats().get(LoadRunner.Kind.READ).missing.sum() > 0) {
            err.println("warning: some reads found no row; load the records first: ycsb --workload load --records "
                    + options.records());
        }
        return result.errors() > 0 ? 1 : 0;
    }

    @FunctionalInterface
    private interface Phase {
        LoadRunner.PhaseResult run(LoadRunner.Limit limit) throws InterruptedException;
    }
}
