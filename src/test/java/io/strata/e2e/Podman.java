package io.strata.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The podman command line, for the container tests (ContainerIT, ComposeIT). Every call waits for the command and
 * fails with its output when it exits non-zero. There is no Docker engine on these machines: podman runs the
 * containers (rootful, runc; deploy/setup-podman.sh prepares a machine).
 */
final class Podman {
    private Podman() {}

    /** Fails (never skips) when podman is missing: the container tests run only when asked for. */
    static String requireInstalled() {
        try {
            return run("podman", "--version").strip();
        } catch (RuntimeException e) {
            throw new AssertionError("The container tests need podman: run deploy/setup-podman.sh (as root) first. "
                    + e.getMessage(), e);
        }
    }

    static String podman(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("podman");
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    /** Like {@link #podman} but returns the exit status instead of failing. */
    static int podmanStatus(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("podman");
        cmd.addAll(List.of(args));
        return exec(cmd, 300).status();
    }

    static String run(String... cmd) {
        Result r = exec(List.of(cmd), 600);
        if (r.status() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited with " + r.status() + ":\n" + r.output());
        }
        return r.output();
    }

    record Result(int status, String output) {}

    static Result exec(List<String> cmd, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
