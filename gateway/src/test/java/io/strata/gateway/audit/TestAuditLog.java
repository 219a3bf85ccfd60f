package io.strata.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestAuditLog {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void writesOneChainedJsonLinePerRecord() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, CLOCK, null)) {
            log.login("acme", "alice", "t-1", "10.0.0.1:5000", null);
            log.login(null, null, null, null, "token expired");
            log.ddl("acme", "alice", null, "CREATE TABLE ks.t");
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
        assertThat(lines).hasSize(3);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("prev").asText()).isEqualTo(AuditLog.GENESIS);
        assertThat(first.get("time").asText()).isEqualTo("2026-12-07T01:00:00Z");
        assertThat(first.get("kind").asText()).isEqualTo("login");
        assertThat(first.get("tenant").asText()).isEqualTo("acme");
        assertThat(first.get("principal").asText()).isEqualTo("alice");
        assertThat(first.get("tokenId").asText()).isEqualTo("t-1");
        assertThat(first.get("source").asText()).isEqualTo("10.0.0.1:5000");
        assertThat(first.get("outcome").asText()).isEqualTo("ok");
        assertThat(first.get("reason").isNull()).isTrue();
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("prev").asText()).isEqualTo(AuditLog.sha256(lines.get(0)));
        assertThat(second.get("outcome").asText()).isEqualTo("refused");
        assertThat(second.get("reason").asText()).isEqualTo("token expired");
        assertThat(second.get("tenant").isNull()).isTrue();
        assertThat(JSON.readTree(lines.get(2)).get("prev").asText()).isEqualTo(AuditLog.sha256(lines.get(1)));
    }

    @Test
    void escapesWhatWouldBreakTheLine() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, CLOCK, null)) {
            log.login(null, null, null, null, "bad \"token\"\nwith\\newline\u0001");
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).get("reason").asText()).isEqualTo("bad \"token\"\nwith\\newline\u0001");
    }

    @Test
    void redactsStatementsOfDeniedRequests() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, CLOCK, null)) {
            log.denied("acme", "bob", null, null, "UPDATE t SET p = 'pw' WHERE k = 0x01", "no write on ks.t");
        }
        JsonNode line = JSON.readTree(Files.readAllLines(dir.resolve(AuditLog.FILE_NAME)).get(0));
        assertThat(line.get("statement").asText()).isEqualTo("UPDATE t SET p = ? WHERE k = ?");
        assertThat(line.get("outcome").asText()).isEqualTo("refused");
    }

    @Test
    void rotatesBySizeAndLinksAcrossFiles() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, null)) {
            for (int i = 0; i < 40; i++) {
                log.ddl("acme", "alice", null, "CREATE TABLE ks.t" + i);
            }
        }
        List<Path> files = AuditFiles.inOrder(dir);
        assertThat(files.size()).isGreaterThan(2);
        assertThat(files.get(0).getFileName().toString()).isEqualTo("audit.log.000001");
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(2048);
        }
        String lastOfFirst = AuditFiles.lastCompleteLine(files.get(0));
        String firstOfSecond = Files.readAllLines(files.get(1)).get(0);
        assertThat(JSON.readTree(firstOfSecond).get("prev").asText()).isEqualTo(AuditLog.sha256(lastOfFirst));
        assertThat(AuditVerify.verify(dir).describe()).isEqualTo("ok: 40 records, chain intact");
    }

    @Test
    void reopeningContinuesTheChain() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, null)) {
            for (int i = 0; i < 20; i++) {
                log.login("acme", "alice", null, null, null);
            }
        }
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, null)) {
            log.login("acme", "bob", null, null, null);
        }
        assertThat(AuditVerify.verify(dir).describe()).isEqualTo("ok: 21 records, chain intact");
    }

    @Test
    void reopeningAfterRotationWithAnEmptyCurrentFileLinksToTheRotatedOne() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, null)) {
            for (int i = 0; i < 20; i++) {
                log.login("acme", "alice", null, null, null);
            }
        }
        Path current = dir.resolve(AuditLog.FILE_NAME);
        Files.move(current, dir.resolve(AuditFiles.rotatedName(AuditFiles.lastRotatedNumber(dir) + 1)));
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, null)) {
            log.login("acme", "bob", null, null, null);
        }
        assertThat(AuditVerify.verify(dir).describe()).isEqualTo("ok: 21 records, chain intact");
    }

    @Test
    void concurrentWritersKeepOneChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (AuditLog log = AuditLog.open(dir, 8192, CLOCK, null)) {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        log.login("acme", "user" + thread, null, null, null);
                    }
                }));
            }
            for (var f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertThat(AuditVerify.verify(dir).describe()).isEqualTo("ok: 1000 records, chain intact");
    }

    @Test
    void echoesToStdoutWhenAsked() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AuditLog log = AuditLog.open(dir, 2048, CLOCK, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            log.admin("ops", null, "127.0.0.1:1", "POST", "/admin/tenants", null);
        }
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .isEqualTo(Files.readString(dir.resolve(AuditLog.FILE_NAME)).strip());
    }

    @Test
    void disabledLogWritesNothing() throws IOException {
        AuditLog log = AuditLog.disabled();
        log.login("acme", "alice", null, null, null);
        log.close();
        assertThat(log.enabled()).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void recordsAfterCloseAreDropped() throws IOException {
        AuditLog log = AuditLog.open(dir, 2048, CLOCK, null);
        log.login("acme", "alice", null, null, null);
        log.close();
        log.login("acme", "mallory", null, null, null);
        assertThat(Files.readAllLines(dir.resolve(AuditLog.FILE_NAME))).hasSize(1);
    }

    @Test
    void lastCompleteLineReadsLongTailsAndIgnoresATornEnd() throws IOException {
        Path f = dir.resolve("f");
        String longLine = "x".repeat(20_000);
        Files.writeString(f, "a\n" + longLine + "\ntorn");
        assertThat(AuditFiles.lastCompleteLine(f)).isEqualTo(longLine);
        Files.writeString(f, "only\n");
        assertThat(AuditFiles.lastCompleteLine(f)).isEqualTo("only");
        Files.writeString(f, "torn");
        assertThat(AuditFiles.lastCompleteLine(f)).isNull();
        Files.writeString(f, "");
        assertThat(AuditFiles.lastCompleteLine(f)).isNull();
    }

    @Test
    void aTornLastLineStaysVisibleAndLaterRecordsStartOnTheirOwnLine() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 1 << 20, CLOCK, null)) {
            log.login("acme", "alice", null, null, null);
            log.login("acme", "bob", null, null, null);
        }
        Path current = dir.resolve(AuditLog.FILE_NAME);
        byte[] bytes = Files.readAllBytes(current);
        Files.write(current, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        try (AuditLog log = AuditLog.open(dir, 1 << 20, CLOCK, null)) {
            log.login("acme", "carol", null, null, null);
        }
        List<String> lines = Files.readAllLines(current);
        assertThat(lines).hasSize(3);
        JsonNode carol = JSON.readTree(lines.get(2));
        assertThat(carol.get("seq").asLong()).isEqualTo(2);
        assertThat(carol.get("prev").asText()).isEqualTo(AuditLog.sha256(lines.get(0)));
        AuditVerify.Result result = AuditVerify.verify(dir);
        assertThat(result.intact()).isFalse();
        assertThat(result.broken().line()).isEqualTo(2);
        assertThat(result.broken().why()).startsWith("not JSON");
    }

    @Test
    void refusesToContinueAfterALastLineThatIsNoRecord() throws IOException {
        Files.writeString(dir.resolve(AuditLog.FILE_NAME), "edited by hand\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditLog.open(dir, 2048, CLOCK, null))
                .isInstanceOf(IOException.class).hasMessageContaining("AuditVerify");
    }
}
