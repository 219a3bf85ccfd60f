package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine stays split by LSM anatomy: no class grows past about 600 lines. */
class TestEngineLayout {
    @Test
    void classesStaySmall() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines = Files.readAllLines(p).size();
                if (lines > 600) {
                    offenders.add(main.relativize(p) + " (" + lines + " lines)");
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
