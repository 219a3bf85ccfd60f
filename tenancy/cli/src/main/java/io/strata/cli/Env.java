package io.strata.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may touch outside its arguments, injected so tests run commands in-process: the two output streams
 * (stdout carries only the requested output, stderr everything else), the clock tokens are minted and verified
 * against, environment variables, the working directory relative paths resolve against, and the Strata home (the
 * repository root {@code deploy/strata} runs from, given as the {@code strata.home} system property), if known.
 */
record Env(PrintStream out, PrintStream err, Clock clock, Map<String, String> variables, Path workDir,
        Optional<Path> home) {
    Env {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(clock, "clock is null");
        variables = Map.copyOf(variables);
        requireNonNull(workDir, "workDir is null");
        requireNonNull(home, "home is null");
    }

    static Env system() {
        String home = System.getProperty("strata.home");
        return new Env(System.out, System.err, Clock.systemUTC(), System.getenv(), Path.of("").toAbsolutePath(),
                home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home)));
    }

    /** @return the variable's value, or empty when unset or blank */
    Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
