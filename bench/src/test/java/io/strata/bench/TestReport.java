package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class TestReport {
    private final Report.Context context =
            new Report.Context(Workload.MIXED, "127.0.0.1:9042", "V5", "LOCAL_ONE", 64, 1000);

    @Test
    void rendersOneJsonLineWithPerKindLatencies() throws Exception {
        String json = Report.json(context, mixedResult());

        assertThat(json).doesNotContain("\n").startsWith("{").endsWith("}");
        assertThat(json).startsWith("{\"tool\":\"strata-load\",\"workload\":\"mixed\",\"target\":\"127.0.0.1:9042\","
                + "\"protocol\":\"V5\",\"consistency\":\"LOCAL_ONE\",\"concurrency\":64,\"rows\":1000,");
        assertThat(json).contains("\"ops\":9,\"errors\":1,");
        assertThat(json).contains("\"read\":{\"ops\":5,\"errors\":0,");
        assertThat(json).contains("\"missing\":1,\"mismatches\":0,");
        assertThat(json).contains("\"write\":{\"ops\":4,\"errors\":1,");
        // every latency here is exactly 1 µs: start and completion are consecutive 1 µs clock ticks
        assertThat(json).contains("\"latency_us\":{\"mean\":1.0,\"p50\":1.0,\"p99\":1.0,\"p999\":1.0,\"max\":1.0}");
        assertThat(json).endsWith("\"error_types\":{\"RuntimeException\":1}}");
    }

    @Test
    void rendersATableForPeople() throws Exception {
        String table = Report.table(context, mixedResult());

        assertThat(table).contains("mixed workload against 127.0.0.1:9042 (protocol V5, consistency LOCAL_ONE)");
        assertThat(table).containsPattern("read +5 +0 ");
        assertThat(table).containsPattern("write +4 +1 ");
        assertThat(table).containsPattern("total +9 +1 ");
        assertThat(table).contains("1 µs");
        assertThat(table).contains("reads: 1 found no row, 0 returned unexpected content");
        assertThat(table).contains("errors: 1 x RuntimeException, e.g. boom");
    }

    @Test
    void formatsLatencyUnits() {
        assertThat(Report.human(812_000)).isEqualTo("812 µs");
        assertThat(Report.human(3_214_000)).isEqualTo("3.21 ms");
    }

    @Test
    void escapesJsonStrings() {
        assertThat(Report.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    private static LoadRunner.PhaseResult mixedResult() throws InterruptedException {
        AtomicLong clock = new AtomicLong();
        // concurrency 1 so that each operation's start and completion are consecutive clock readings
        LoadRunner runner = new LoadRunner(1, () -> clock.addAndGet(1_000));
        return runner.run(seq -> {
            if (seq == 9) {
                return new LoadRunner.Started(LoadRunner.Kind.WRITE, CompletableFuture.failedFuture(new RuntimeException("boom")));
            }
            if (seq % 2 == 0) {
                return new LoadRunner.Started(LoadRunner.Kind.READ, CompletableFuture.completedFuture(
                        seq == 0 ? LoadRunner.Outcome.MISSING : LoadRunner.Outcome.FOUND));
            }
            return new LoadRunner.Started(LoadRunner.Kind.WRITE, CompletableFuture.completedFuture(LoadRunner.Outcome.WRITTEN));
        }, LoadRunner.Limit.operations(10));
    }
}
