package io.strata.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where the admin API is and the operator token to call it with. Mixed into the root command and into every admin
 * command, so they go before or after the command; given after, they win. Resolution: {@code --url}, else
 * {@code STRATA_URL}, else {@value #DEFAULT_URL}; {@code --token} or {@code --token-file} (not both), else
 * {@code STRATA_TOKEN}, else the file {@value #DEFAULT_TOKEN_FILE} in the working directory, else in the Strata home
 * (the repository root, when run through {@code deploy/strata}). No token at all is a usage error.
 */
final class ApiOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";
    static final String DEFAULT_TOKEN_FILE = "data/operator-token";

    @Option(names = "--url", paramLabel = "URL",
            description = "The gateway's HTTP address (default: $STRATA_URL, else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "An operator token (default: $STRATA_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the operator token (default: " + DEFAULT_TOKEN_FILE + " if it exists).")
    Path tokenFile;

    /** The client for the command {@code spec}, whose own options win over the root command's. */
    AdminClient client(CommandSpec spec) {
        ApiOptions root = Strata.rootApi(spec);
        Env env = Strata.env(spec);
        return new AdminClient(baseUri(spec, first(url, root.url, env.variable("STRATA_URL").orElse(null))),
                token(spec, env, root));
    }

    private String token(CommandSpec spec, Env env, ApiOptions root) {
        // the command's own options first, as a pair: --token-file after the command beats --token before it
        for (ApiOptions options : List.of(this, root)) {
            if (options.token != null && options.tokenFile != null) {
                throw new ParameterException(spec.commandLine(), "give only one of --token, --token-file");
            }
            if (options.token != null) {
                return nonBlank(spec, options.token, "--token");
            }
            if (options.tokenFile != null) {
                return read(env.workDir().resolve(options.tokenFile));
            }
        }
        if (env.variable("STRATA_TOKEN").isPresent()) {
            return env.variable("STRATA_TOKEN").orElseThrow();
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(env.workDir().resolve(DEFAULT_TOKEN_FILE));
        env.home().ifPresent(home -> candidates.add(home.resolve(DEFAULT_TOKEN_FILE)));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return read(candidate);
            }
        }
        throw new ParameterException(spec.commandLine(), "no operator token: pass --token or --token-file, set"
                + " STRATA_TOKEN, or run where " + DEFAULT_TOKEN_FILE + " exists (strata token operator mints one)");
    }

    private static String read(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            if (token.isEmpty()) {
                throw new CliException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nonBlank(CommandSpec spec, String value, String option) {
        if (value.isBlank()) {
            throw new ParameterException(spec.commandLine(), option + " is blank");
        }
        return value.strip();
    }

    static URI baseUri(CommandSpec spec, String text) {
        String value = text == null ? DEFAULT_URL : text.strip();
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new URISyntaxException(value, "not an http(s) address");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ParameterException(spec.commandLine(), "invalid --url '" + value
                    + "': give the gateway's HTTP address, e.g. " + DEFAULT_URL);
        }
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
