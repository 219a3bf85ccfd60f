package io.strata.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs command lines in-process with captured stdout and stderr, chosen environment variables and directory. */
final class Cli {
    final Map<String, String> variables = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Clock clock;
    private final Path workDir;
    Path home;

    Cli(Clock clock, Path workDir) {
        this.clock = clock;
        this.workDir = workDir;
    }

    /** Runs one command line after clearing what the previous one printed; returns the exit status. */
    int run(String... args) {
        out.reset();
        err.reset();
        return Strata.run(args, new Env(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, variables, workDir, Optional.ofNullable(home)));
    }

    String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
