package io.strata.cli;

import io.strata.tenancy.AuthenticationException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code strata} command line: {@code token ...} mints and checks tokens offline with the local signing keys;
 * {@code tenants ...}, {@code tokens ...}, {@code storage ...}, {@code usage}, {@code backups ...}, {@code restores} and
 * {@code restore status} call a gateway's admin API with an operator token.
 *
 * <p>Contract, for every command: only the requested output goes to stdout (so {@code TOKEN=$(strata ...)} works),
 * diagnostics go to stderr; exit status 0 on success, 1 on a failure (refused token, unreadable key, error from the
 * server, unreachable server), 2 on a usage error (the message, then the command's usage, on stderr). {@code --help}
 * works on every command and exits 0. Server errors print as {@code error: <status> <title>: <detail>}.
 *
 * <p>Run as {@code deploy/strata <command>}, or with the gateway's classpath:
 * {@code java -cp "gateway/target/quarkus-app/lib/boot/*:gateway/target/quarkus-app/lib/main/*" io.strata.cli.Strata}.
 */
@Command(name = "strata",
        description = "Strata's command line: tokens signed offline with local keys, and the gateway's admin API.",
        subcommands = {TokenCommand.class, TenantsCommand.class, TokensCommand.class, StorageCommand.class,
                UsageCommand.class, BackupsCommand.class, RestoresCommand.class, RestoresCommand.RestoreGroup.class},
        footer = {"",
                "Exit status: 0 success, 1 failure, 2 usage error. Only the requested output goes to stdout.",
                "Admin API commands read --url (or STRATA_URL, default " + ApiOptions.DEFAULT_URL + ") and",
                "--token/--token-file (or STRATA_TOKEN, else the file data/operator-token) before or after the command."})
public final class Strata extends Group {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    // also accepted after the command (each admin command has the same options); those win
    @Mixin
    ApiOptions api;

    private final Env env;

    Strata(Env env) {
        this.env = env;
    }

    public static void main(String[] args) {
        // exit explicitly: the HTTP client's threads must not keep the JVM alive
        System.exit(run(args, Env.system()));
    }

    /** Runs one command line; returns its exit status. */
    static int run(String[] args, Env env) {
        CommandLine commandLine = new CommandLine(new Strata(env));
        commandLine.setOut(writer(env.out()));
        commandLine.setErr(writer(env.err()));
        commandLine.setParameterExceptionHandler(Strata::usageError);
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> failure(e, env.err()));
        return commandLine.execute(args);
    }

    /** The environment of the command line {@code spec} belongs to. */
    static Env env(CommandLine.Model.CommandSpec spec) {
        return ((Strata) spec.root().userObject()).env;
    }

    /** The root command's admin API options, for commands that also take them. */
    static ApiOptions rootApi(CommandLine.Model.CommandSpec spec) {
        return ((Strata) spec.root().userObject()).api;
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        e.getCommandLine().usage(err);
        err.flush();
        return 2;
    }

    private static int failure(Exception e, PrintStream err) {
        if (e instanceof AuthenticationException) {
            err.println("token refused: " + e.getMessage());
        } else if (e instanceof NoSuchFileException missing) {
            err.println("error: no such file: " + missing.getFile());
        } else if (e instanceof UncheckedIOException wrapped && wrapped.getCause() instanceof NoSuchFileException missing) {
            err.println("error: no such file: " + missing.getFile());
        } else if (e instanceof IOException) {
            err.println("error: " + e);
        } else if (e instanceof CliException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            err.println("error: " + e.getMessage());
        } else if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            err.println("error: interrupted");
        } else {
            // a bug: the trace is what a report needs
            err.print("error: ");
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
