package io.strata.e2e.conformance;

import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CQL conformance corpus ({@code src/test/cases/*.cql}, format in {@code docs/conformance.md}) against
 * one gateway process started from the built jar, through the real Java driver: one dynamic container per
 * file, one dynamic test per case. Each file gets a fresh keyspace, created and USEd by the runner, and
 * its fixture statements run once before its first case. A pending case must fail: it is reported as
 * aborted (skipped) with its reason, and fails the build once it passes, so that its marker is removed.
 * Cases run sequentially, in file order.
 *
 * <p>With {@code -Dconformance.contactPoint=host:port} the corpus runs against a server already running
 * there instead (Apache Cassandra as an oracle; see {@link ConformanceTarget}). Of Cassandra's dialect, it
 * must meet every expectation, pending ones included (pending markers are about Strata); cases marked
 * {@code -- keyspaces:} run too but are reported apart, as skipped. The file keyspaces are dropped first if
 * they exist, and the keyspaces the run created are dropped at the end. Every run writes
 * {@code target/conformance-<server>.txt} ({@link ConformanceReport}).
 */
class TestConformance {
    @TempDir
    static Path tmp;

    static ConformanceTarget target;
    static CqlSession session;
    static CaseExecutor executor;
    static final ConformanceReport report = new ConformanceReport();
    static final List<String> pendingReport = new ArrayList<>(); // one line per pending case: where, why, what came back
    static Set<String> keyspacesBefore = Set.of(); // an external server's keyspaces before the run
    static String releaseVersion = "?";

    @BeforeAll
    static void start() throws Exception {
        target = ConformanceTarget.fromSystemProperties(tmp);
        // Schema metadata off: the driver would otherwise debounce a metadata refresh after every DDL.
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(2))
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoint(target.address())
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(config);
        target.credentials().ifPresent(c -> builder.withAuthCredentials(c[0], c[1]));
        session = builder.build();
        executor = new CaseExecutor(session);
        Row local = session.execute("SELECT release_version FROM system.local").one();
        releaseVersion = local == null ? "?" : local.getString(0);
        if (target.external()) {
            keyspacesBefore = keyspaces();
        }
    }

    private static Set<String> keyspaces() {
        Set<String> names = new TreeSet<>();
        session.execute("SELECT keyspace_name FROM system_schema.keyspaces").forEach(r -> names.add(r.getString(0)));
        return names;
    }

    private static boolean cassandraDialect() {
        return target.dialect() == ConformanceTarget.Dialect.CASSANDRA;
    }

    @AfterAll
    static void stop() throws Exception {
        boolean apart = target != null && cassandraDialect();
        StringBuilder sb = new StringBuilder("conformance corpus: file passed/pending/failed"
                + (apart ? "/keyspaces\n" : "\n"));
        int[] total = new int[4];
        report.tallies().forEach((file, t) -> {
            sb.append(String.format("  %-16s %4d %4d %4d", file, t[0], t[1], t[2]))
                    .append(apart ? String.format(" %4d%n", t[3]) : String.format("%n"));
            for (int i = 0; i < 4; i++) {
                total[i] += t[i];
            }
        });
        sb.append(String.format("  %-16s %4d %4d %4d", "total", total[0], total[1], total[2]))
                .append(apart ? String.format(" %4d%n", total[3]) : String.format("%n"));
        if (!pendingReport.isEmpty()) {
            sb.append(apart ? "pending cases (reason; the server meets their expectation):\n"
                    : "pending cases (reason; how they fail now):\n");
            pendingReport.forEach(line -> sb.append("  ").append(line).append('\n'));
        }
        try {
            if (target != null) {
                String header = "Conformance corpus against " + target.server() + " at " + target.address()
                        + " (release_version " + releaseVersion + ", dialect " + target.dialect().name().toLowerCase(Locale.ROOT)
                        + (target.external() ? ", external" : ", gateway started by the run") + "), " + Instant.now();
                sb.append(report.write(Path.of(System.getProperty("strata.e2e.dir", "."), "target",
                        "conformance-" + target.server() + ".txt"), header)).append('\n');
            }
            System.out.print(sb);
            if (session != null && target.external()) {
                for (String ks : keyspaces()) {
                    if (!keyspacesBefore.contains(ks)) {
                        session.execute("DROP KEYSPACE IF EXISTS \"" + ks.replace("\"", "\"\"") + "\"");
                    }
                }
            }
        } finally {
            if (session != null) {
                session.close();
            }
            if (target != null) {
                target.close();
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> corpus() throws IOException {
        List<DynamicNode> files = new ArrayList<>();
        for (CaseFile file : selectedCorpus(casesDir())) {
            List<DynamicNode> tests = new ArrayList<>();
            boolean[] fixtureOk = {false};
            tests.add(fixtureTest(file, fixtureOk));
            for (ConformanceCase c : file.cases()) {
                tests.add(caseTest(file, c, fixtureOk));
            }
            files.add(dynamicContainer(file.name() + ".cql", tests));
        }
        files.add(selfCheck());
        return files.stream();
    }

    /**
     * Proof that the assertions can fail: each of these cases states a wrong expectation (a value, a
     * column name or type, the row count or order, null versus empty, an error code or message) and must
     * be reported as a mismatch.
     */
    static final String SELF_CHECK = """
            CREATE TABLE sc (k int, c int, v int, t text, PRIMARY KEY (k, c));
            INSERT INTO sc (k, c, v, t) VALUES (1, 1, 10, 'a');
            INSERT INTO sc (k, c, v, t) VALUES (1, 2, 20, '');
            INSERT INTO sc (k, c, t) VALUES (2, 1, 'no v');
            INSERT INTO sc (k, c, v) VALUES (2, 2, blobAsInt(0x));

            -- case: wrong value
            SELECT v FROM sc WHERE k = 1 AND c = 1;
            -- expect rows:
            -- v
            -- 11

            -- case: wrong column name
            SELECT v FROM sc WHERE k = 1 AND c = 1;
            -- expect rows:
            -- w
            -- 10

            -- case: wrong column type
            SELECT v FROM sc WHERE k = 1 AND c = 1;
            -- expect rows:
            -- v
            -- 10
            -- types: bigint

            -- case: a missing row
            SELECT c FROM sc WHERE k = 1;
            -- expect rows:
            -- c
            -- 1

            -- case: an extra row
            SELECT c FROM sc WHERE k = 1 AND c = 1;
            -- expect rows unordered:
            -- c
            -- 1
            -- 1

            -- case: wrong order
            SELECT c FROM sc WHERE k = 1;
            -- expect rows:
            -- c
            -- 2
            -- 1

            -- case: null is not the empty string
            SELECT t FROM sc WHERE k = 1 AND c = 2;
            -- expect rows:
            -- t
            -- null

            -- case: null is not the empty value
            SELECT v FROM sc WHERE k = 2 AND c = 1;
            -- expect rows:
            -- v
            -- empty

            -- case: the empty value is not null
            SELECT v FROM sc WHERE k = 2 AND c = 2;
            -- expect rows:
            -- v
            -- null

            -- case: a value outside its range
            SELECT v FROM sc WHERE k = 1 AND c = 2;
            -- expect rows:
            -- v
            -- range(0, 19)

            -- case: a text unlike its pattern
            SELECT t FROM sc WHERE k = 1 AND c = 1;
            -- expect rows:
            -- t
            -- like('b%')

            -- case: wrong marker name
            -- markers: key int
            -- bind: 1
            SELECT v FROM sc WHERE k = ? AND c = 1;
            -- expect rows:
            -- v
            -- 10

            -- case: wrong marker type
            -- markers: k bigint
            -- bind: 1
            SELECT v FROM sc WHERE k = ? AND c = 1;
            -- expect rows:
            -- v
            -- 10

            -- case: a map without the included entry
            SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'conformance_selfcheck';
            -- expect rows:
            -- replication
            -- includes({'replication_factor': '2'})

            -- case: wrong error code
            SELECT * FROM no_such_table;
            -- expect error: SYNTAX_ERROR

            -- case: wrong error message
            SELECT * FROM no_such_table;
            -- expect error: INVALID "some other message"

            -- case: an error where success was expected
            SELECT * FROM no_such_table;
            -- expect ok

            -- case: success where an error was expected
            SELECT * FROM sc;
            -- expect error: INVALID

            -- case: rows where an error was expected
            SELECT * FROM sc;
            -- expect error: INVALID ""
            """;

    /** Creates and USEs the file's keyspace and runs its fixture; the file's cases run only if it succeeded. */
    private static DynamicTest fixtureTest(CaseFile file, boolean[] fixtureOk) {
        return dynamicTest("(keyspace and fixture)", () -> {
            if (target.external()) { // left over by an interrupted run
                session.execute("DROP KEYSPACE IF EXISTS " + file.keyspace());
            }
            session.execute("CREATE KEYSPACE " + file.keyspace()
                    + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("USE " + file.keyspace());
            executor.runAll(file.name(), file.fixture());
            fixtureOk[0] = true;
        });
    }

    private static DynamicNode selfCheck() {
        CaseFile file = CaseParser.parse("selfcheck", SELF_CHECK);
        List<DynamicNode> tests = new ArrayList<>();
        boolean[] fixtureOk = {false};
        tests.add(fixtureTest(file, fixtureOk));
        for (ConformanceCase c : file.cases()) {
            tests.add(dynamicTest(c.name() + " is reported", () -> {
                Assumptions.assumeTrue(fixtureOk[0], "fixture failed");
                session.execute("USE " + file.keyspace());
                boolean reported = false;
                try {
                    executor.run(c);
                } catch (AssertionError expected) {
                    reported = true;
                }
                if (!reported) {
                    throw new AssertionError("a wrong expectation passed: " + c.name());
                }
            }));
        }
        return dynamicContainer("(self-check: wrong expectations fail)", tests);
    }

    private static DynamicTest caseTest(CaseFile file, ConformanceCase c, boolean[] fixtureOk) {
        String display = c.name() + (c.pending().isPresent() ? " (pending)" : "");
        return dynamicTest(display, () -> {
            int[] t = report.tally(file.name());
            if (!fixtureOk[0]) {
                t[2]++;
                AssertionError notRun = new AssertionError(file.name() + ".cql: fixture failed, case not run");
                report.mismatch(c, notRun);
                throw notRun;
            }
            session.execute("USE " + file.keyspace()); // a case may have switched keyspace
            Throwable failure = null;
            try {
                executor.run(c);
            } catch (AssertionError | RuntimeException e) {
                failure = e;
            }
            if (cassandraDialect()) {
                oracleOutcome(c, failure, t);
                return;
            }
            if (failure != null) {
                report.mismatch(c, failure);
            }
            if (c.pending().isEmpty()) {
                if (failure != null) {
                    t[2]++;
                    throwUnchecked(failure);
                }
                t[0]++;
            } else if (failure == null) {
                t[2]++;
                throw new AssertionError(file.name() + ".cql:" + c.line() + " [" + c.name()
                        + "] pending case now passes: remove the pending marker (" + c.pending().get() + ")");
            } else {
                t[1]++;
                String why = String.valueOf(failure.getMessage());
                String got = why.contains("\n  got") ? why.substring(why.indexOf("\n  got") + 3)
                        : why.contains("\n  expected") ? why.substring(why.indexOf("\n  expected") + 3) : why;
                String gotLine = got.replaceAll("\\s+", " ").substring(0, Math.min(got.replaceAll("\\s+", " ").length(), 200));
                pendingReport.add(file.name() + ".cql:" + c.line() + " [" + c.name() + "] " + c.pending().get() + " | " + gotLine);
                report.pending(c, gotLine);
                Assumptions.abort("pending: " + c.pending().get() + "; fails as expected: "
                        + why.substring(0, Math.min(why.length(), 300)));
            }
        });
    }

    /**
     * A case against a server of Cassandra's dialect: a Keyspaces-specific case is reported apart (skipped),
     * any other case, pending or not, must meet its expectation.
     */
    private static void oracleOutcome(ConformanceCase c, Throwable failure, int[] t) {
        if (c.keyspaces().isPresent()) {
            t[3]++;
            report.keyspacesCase(c, failure);
            Assumptions.abort("Keyspaces-specific (" + c.keyspaces().get() + "): "
                    + (failure == null ? "the server agrees" : "the server differs, as expected"));
        }
        if (failure != null) {
            t[2]++;
            report.mismatch(c, failure);
            throwUnchecked(failure);
        }
        t[0]++;
        if (c.pending().isPresent()) {
            pendingReport.add(c.file() + ".cql:" + c.line() + " [" + c.name() + "] " + c.pending().get());
            report.pending(c, "the server meets the expectation");
        }
    }

    static Path casesDir() {
        String dir = System.getProperty("strata.e2e.dir");
        if (dir == null) {
            throw new IllegalStateException("system property strata.e2e.dir is not set (run through Maven)");
        }
        return Path.of(dir, "cases");
    }

    /** The corpus, or only the file named by {@code -Dconformance.file=NAME} (without .cql) when it is set. */
    static List<CaseFile> selectedCorpus(Path dir) throws IOException {
        String only = System.getProperty("conformance.file", "").trim();
        List<CaseFile> all = loadCorpus(dir);
        return only.isEmpty() ? all : all.stream().filter(f -> f.name().equals(only)).toList();
    }

    static List<CaseFile> loadCorpus(Path dir) throws IOException {
        List<CaseFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".cql")).sorted().toList()) {
                String name = p.getFileName().toString().replaceFirst("\\.cql$", "");
                files.add(CaseParser.parse(name, Files.readString(p, StandardCharsets.UTF_8)));
            }
        }
        return files;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUnchecked(Throwable t) throws E {
        throw (E) t;
    }
}
