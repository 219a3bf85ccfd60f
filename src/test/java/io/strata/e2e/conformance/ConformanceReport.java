package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of the corpus found, written to {@code target/conformance-<server>.txt}: a tally per file,
 * then every case whose result differs from its expectation (file:line of the case, its name, the
 * statement, the expectation and what the server answered), then the cases marked {@code -- keyspaces:}
 * when the server speaks Cassandra's dialect, and the pending cases. Not thread-safe: cases run one at a time.
 */
final class ConformanceReport {
    /** Per file: passed, pending (failing as expected), failed, Keyspaces-specific (run apart). */
    private final Map<String, int[]> tally = new TreeMap<>();
    private final List<String> mismatches = new ArrayList<>();
    private final List<String> keyspaces = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final Instant started = Instant.now();
    private int keyspacesAgreeing;

    /** The file's counters, updated in place: passed, pending, failed, Keyspaces-specific. */
    int[] tally(String file) {
        return tally.computeIfAbsent(file, k -> new int[4]);
    }

    /** Every file's counters, by file name. */
    Map<String, int[]> tallies() {
        return Collections.unmodifiableMap(tally);
    }

    /** A case whose result differs from its expectation (a failure, or a pending case failing as expected). */
    void mismatch(ConformanceCase c, Throwable failure) {
        String note = c.pending().map(p -> "\n  pending: " + p).orElse("");
        mismatches.add(head(c) + note + "\n" + indent(failure));
    }

    /** A Keyspaces-specific case run against a server of Cassandra's dialect; {@code failure} null when it agreed. */
    void keyspacesCase(ConformanceCase c, Throwable failure) {
        String head = head(c) + "\n  keyspaces: " + c.keyspaces().orElseThrow();
        if (failure == null) {
            keyspacesAgreeing++;
            keyspaces.add(head + "\n  the server answers as Keyspaces does (the marker may not be needed)");
        } else {
            keyspaces.add(head + "\n" + indent(failure));
        }
    }

    /** A pending case: how it fails now (Strata), or that the server meets its expectation (an oracle). */
    void pending(ConformanceCase c, String outcome) {
        pending.add(head(c) + " " + c.pending().orElseThrow() + " | " + outcome);
    }

    /** Writes the report and returns its summary lines. */
    String write(Path file, String header) throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        sb.append("run time of the cases: ").append(Duration.between(started, Instant.now()).toSeconds()).append(" s\n\n");
        sb.append(String.format("%-16s %6s %6s %6s %9s%n", "file", "passed", "pending", "failed", "keyspaces"));
        int[] total = new int[4];
        tally.forEach((name, t) -> {
            sb.append(String.format("%-16s %6d %6d %6d %9d%n", name, t[0], t[1], t[2], t[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += t[i];
            }
        });
        sb.append(String.format("%-16s %6d %6d %6d %9d%n", "total", total[0], total[1], total[2], total[3]));
        String summary = String.format("%d cases: %d passed, %d pending, %d failed, %d Keyspaces-specific run apart"
                + " (%d of them answered as Keyspaces does)", total[0] + total[1] + total[2] + total[3], total[0],
                total[1], total[2], total[3], keyspacesAgreeing);
        sb.append(summary).append("\n\n");
        section(sb, "Cases whose result differs from their expectation", mismatches);
        section(sb, "Keyspaces-specific cases (-- keyspaces:), run against a server of Cassandra's dialect", keyspaces);
        section(sb, "Pending cases (reason | outcome here)", pending);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return summary + "\nreport: " + file;
    }

    private static void section(StringBuilder sb, String title, List<String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        sb.append("== ").append(title).append(" (").append(entries.size()).append(") ==\n\n");
        entries.forEach(e -> sb.append(e).append("\n\n"));
    }

    private static String head(ConformanceCase c) {
        requireNonNull(c, "c is null");
        return c.file() + ".cql:" + c.line() + " [" + c.name() + "]";
    }

    private static String indent(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        if (!(failure instanceof AssertionError)) {
            message = failure.getClass().getSimpleName() + ": " + message;
        }
        return "  " + message.strip().replace("\n", "\n  ");
    }
}
