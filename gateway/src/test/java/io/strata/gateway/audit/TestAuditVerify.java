package io.strata.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of tampering the chain promises to show, on a log of several rotated files. */
final class TestAuditVerify {
    @TempDir
    Path dir;
    List<Path> files;

    @BeforeEach
    void writeLog() throws IOException {
        try (AuditLog log = AuditLog.open(dir, 2048, TestAuditLog.CLOCK, null)) {
            for (int i = 0; i < 60; i++) {
                log.ddl("acme", "alice", null, "CREATE TABLE ks.t" + i);
            }
        }
        files = AuditFiles.inOrder(dir);
        assertThat(files.size()).as("files").isGreaterThanOrEqualTo(4);
    }

    @Test
    void intactChainAcrossRotationsPasses() throws IOException {
        AuditVerify.Result result = AuditVerify.verify(dir);
        assertThat(result.intact()).isTrue();
        assertThat(result.records()).isEqualTo(60);
        assertThat(result.describe()).isEqualTo("ok: 60 records, chain intact");
    }

    @Test
    void deletedLineIsFound() throws IOException {
        List<String> lines = lines(files.get(1));
        lines.remove(2);
        write(files.get(1), lines);
        assertBroken(files.get(1), 3, "seq");
    }

    @Test
    void editedByteIsFound() throws IOException {
        Path file = files.get(1);
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int secondLine = text.indexOf('\n') + 1;
        int at = text.indexOf("ks.t", secondLine) + 3;
        bytes[at] = (byte) 'X';
        Files.write(file, bytes);
        // the edited line still parses; the next one no longer links to it
        assertBroken(file, 3, "prev");
    }

    @Test
    void editedLinkIsFound() throws IOException {
        Path file = files.get(2);
        List<String> lines = lines(file);
        lines.set(1, lines.get(1).replaceFirst("\"prev\":\"[0-9a-f]", "\"prev\":\"g"));
        write(file, lines);
        assertBroken(file, 2, "prev");
    }

    @Test
    void swappedLinesAreFound() throws IOException {
        List<String> lines = lines(files.get(0));
        String a = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, a);
        write(files.get(0), lines);
        assertBroken(files.get(0), 2, "seq");
    }

    @Test
    void truncatedLastFileIsFound() throws IOException {
        Path last = files.get(files.size() - 1);
        byte[] bytes = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        AuditVerify.Result result = AuditVerify.verify(dir);
        assertThat(result.intact()).isFalse();
        assertThat(result.broken().file()).isEqualTo(last);
        assertThat(result.broken().why()).startsWith("torn line");
    }

    @Test
    void deletedMiddleFileIsFound() throws IOException {
        Files.delete(files.get(1));
        assertBroken(files.get(2), 1, "records missing");
    }

    @Test
    void deletedFirstFileIsFound() throws IOException {
        Files.delete(files.get(0));
        assertBroken(files.get(1), 1, "records missing");
    }

    @Test
    void mainExitCodes() throws Exception {
        assertThat(runMain()).isZero();
        List<String> lines = lines(files.get(1));
        lines.remove(0);
        write(files.get(1), lines);
        assertThat(runMain()).isEqualTo(1);
    }

    private int runMain() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AuditVerify.class.getName(), dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertThat(out).containsAnyOf("ok: 60 records, chain intact", "broken: ");
        return code;
    }

    private void assertBroken(Path file, long line, String why) throws IOException {
        AuditVerify.Result result = AuditVerify.verify(dir);
        assertThat(result.intact()).as(result.describe()).isFalse();
        assertThat(result.broken().file()).isEqualTo(file);
        assertThat(result.broken().line()).isEqualTo(line);
        assertThat(result.broken().why()).contains(why);
        assertThat(result.describe()).startsWith("broken: " + file + " line " + line + ": ");
    }

    private static List<String> lines(Path file) throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
