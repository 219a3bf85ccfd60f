package io.strata.cql.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The request path's boundaries, checked on the sources: only the session package speaks the native
 * protocol; executors dispatch plans through the visitor, never by testing plan types; no class grows past
 * about 600 lines (the generated-style parser aside).
 */
class TestLayering {
    private static final Path MAIN = Path.of("src/main/java/io/strata/cql");
    private static final Pattern PROTOCOL_IMPORT = Pattern.compile("(?m)^import com\\.datastax\\.oss\\.protocol\\.");
    private static final Pattern PLAN_INSTANCEOF = Pattern.compile("instanceof\\s+(\\w+\\.)*\\w*Plan\\b");
    private static final int MAX_LINES = 600;

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void onlyTheSessionSpeaksTheWireProtocol() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (!p.startsWith(MAIN.resolve("session")) && PROTOCOL_IMPORT.matcher(Files.readString(p)).find()) {
                offenders.add(MAIN.relativize(p).toString());
            }
        }
        assertThat(offenders).as("classes outside session importing native-protocol types").isEmpty();
    }

    @Test
    void plansAreDispatchedByTheVisitor() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            if (PLAN_INSTANCEOF.matcher(Files.readString(p)).find()) {
                offenders.add(MAIN.relativize(p).toString());
            }
        }
        assertThat(offenders).as("instanceof over plan types").isEmpty();
    }

    @Test
    void classesStaySmall() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources()) {
            long lines = Files.readAllLines(p).size();
            if (lines > MAX_LINES && !p.getFileName().toString().equals("Parser.java")) {
                offenders.add(MAIN.relativize(p) + " (" + lines + " lines)");
            }
        }
        assertThat(offenders).as("classes over " + MAX_LINES + " lines").isEmpty();
    }
}
