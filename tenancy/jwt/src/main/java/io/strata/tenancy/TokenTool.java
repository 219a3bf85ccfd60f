package io.strata.tenancy;

import io.strata.tenancy.core.TenantNames;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator command line for tokens. Commands:
 * <pre>
 *   mint   --keys DIR --tenant T --subject S --ttl 30d [--issuer I] [--audience A] [--max-lifetime 30d]
 *                                                                                   prints a token
 *   verify (--keys DIR | --public-key PEM | --jwks FILE) (--token T | --token-file F)
 *          [--issuer I] [--audience A] [--max-lifetime 30d]                         prints tenant, principal, expiry
 *   keygen --keys DIR                                                               creates a key pair if absent
 *   jwks   --keys DIR                                                               prints the public key as JWKS
 * </pre>
 * Only the requested output goes to stdout (so {@code TOKEN=$(... mint ...)} works); diagnostics go to
 * stderr. Exit status: 0 success, 1 failure (bad key files, refused token), 2 usage error.
 * {@code --ttl} and {@code --max-lifetime} take {@code <n>s|m|h|d} or an ISO-8601 duration ({@code P30D});
 * {@code --max-lifetime} (default 30d) must match the servers' {@code strata.auth.max-token-lifetime}, and a
 * {@code --ttl} beyond it is refused, since servers would refuse the token. Issuer and audience default to
 * {@value TokenSettings#DEFAULT_ISSUER} like the server's.
 */
public final class TokenTool {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})([smhd])");
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "mint", Set.of("keys", "tenant", "subject", "ttl", "issuer", "audience", "max-lifetime", "allow"),
            "operator", Set.of("keys", "subject", "ttl", "issuer", "audience", "max-lifetime"),
            "verify", Set.of("keys", "public-key", "jwks", "token", "token-file", "issuer", "audience", "max-lifetime"),
            "keygen", Set.of("keys"),
            "jwks", Set.of("keys"));
    private static final String USAGE = String.join("\n",
            "usage: TokenTool <command> [options]",
            "  mint   --keys DIR --tenant T --subject S --ttl 30d [--issuer I] [--audience A] [--max-lifetime 30d]"
                    + " [--allow SELECT:app.users,SELECT|MODIFY:app.*]   (no --allow: everything in the tenant)",
            "  operator --keys DIR --subject S --ttl 1d [--issuer I] [--audience A] [--max-lifetime 30d]"
                    + "   (a token for the admin API)",
            "  verify (--keys DIR | --public-key PEM | --jwks FILE) (--token T | --token-file F) [--issuer I]"
                    + " [--audience A] [--max-lifetime 30d]",
            "  keygen --keys DIR",
            "  jwks   --keys DIR",
            "--ttl, --max-lifetime: <n>s, <n>m, <n>h, <n>d or ISO-8601 (P30D); --ttl at most --max-lifetime (default "
                    + TokenLimits.human(TokenLimits.DEFAULT_MAX_TOKEN_LIFETIME) + ", as the server's"
                    + " strata.auth.max-token-lifetime); --issuer and --audience default to '"
                    + TokenSettings.DEFAULT_ISSUER + "'");

    private TokenTool() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, Clock.systemUTC());
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
        if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Map<String, String> options;
        try {
            if (!OPTIONS.containsKey(command)) {
                throw new UsageException("unknown command '" + command + "'");
            }
            options = parseOptions(args, OPTIONS.get(command));
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            switch (command) {
                case "mint" -> mint(options, out, clock);
                case "operator" -> operator(options, out, clock);
                case "verify" -> verify(options, out, clock);
                case "keygen" -> keygen(options, out, err);
                case "jwks" -> out.println(SigningKeys.load(path(options, "keys")).publicJwks());
                default -> throw new IllegalStateException(command);
            }
            return 0;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (AuthenticationException e) {
            err.println("token refused: " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("error: no such file: " + e.getFile());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void mint(Map<String, String> options, PrintStream out, Clock clock) throws IOException {
        String tenant = TenantNames.requireValid(required(options, "tenant"));
        String subject = required(options, "subject");
        TokenSettings settings = settings(options);
        Duration ttl = checkedTtl(options, settings);
        java.util.List<String> allow = options.containsKey("allow")
                ? java.util.List.of(options.get("allow").split(",")) : null;
        if (allow != null) {
            try {
                io.strata.tenancy.core.AccessPolicy.parse(allow);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--allow: " + e.getMessage());
            }
        }
        SigningKeys keys = SigningKeys.load(path(options, "keys"));
        out.println(new TokenIssuer(keys, settings, clock).mint(tenant, subject, ttl, allow));
    }

    private static void operator(Map<String, String> options, PrintStream out, Clock clock) throws IOException {
        String subject = required(options, "subject");
        TokenSettings settings = settings(options);
        Duration ttl = checkedTtl(options, settings);
        SigningKeys keys = SigningKeys.load(path(options, "keys"));
        out.println(new TokenIssuer(keys, settings, clock).mintOperator(subject, ttl));
    }

    private static Duration checkedTtl(Map<String, String> options, TokenSettings settings) {
        Duration ttl = parseTtl(required(options, "ttl"));
        if (ttl.compareTo(settings.maxTokenLifetime()) > 0) {
            throw new UsageException("--ttl " + options.get("ttl") + " is longer than the maximum token lifetime of "
                    + TokenLimits.human(settings.maxTokenLifetime()) + ": servers refuse such tokens"
                    + " (strata.auth.max-token-lifetime). Use a shorter --ttl; if the servers allow longer tokens,"
                    + " pass their limit as --max-lifetime");
        }
        if (ttl.getSeconds() < 1) {
            throw new UsageException("--ttl must be at least 1 second: " + options.get("ttl"));
        }
        return ttl;
    }

    private static void verify(Map<String, String> options, PrintStream out, Clock clock)
            throws IOException, AuthenticationException {
        SigningKeys keys = switch (exactlyOne(options, "keys", "public-key", "jwks")) {
            case "keys" -> SigningKeys.load(path(options, "keys"));
            case "public-key" -> SigningKeys.verifyOnly(path(options, "public-key"));
            default -> SigningKeys.verifyOnlyJwks(path(options, "jwks"));
        };
        String token = exactlyOne(options, "token", "token-file").equals("token")
                ? options.get("token")
                : Files.readString(path(options, "token-file"), StandardCharsets.ISO_8859_1).strip();
        JwtAuthenticator.VerifiedToken verified = new JwtAuthenticator(keys, settings(options), clock).verify(token);
        out.println("tenant=" + verified.context().tenantId() + " principal=" + verified.context().principal()
                + " expires=" + verified.expiresAt());
    }

    private static void keygen(Map<String, String> options, PrintStream out, PrintStream err) throws IOException {
        Path dir = path(options, "keys");
        boolean existed = Files.exists(dir.resolve(SigningKeys.PRIVATE_KEY_FILE));
        SigningKeys keys = SigningKeys.loadOrGenerate(dir);
        err.println((existed ? "kept the existing key pair in " : "wrote a new key pair to ") + dir);
        out.println(keys.keyId().orElseThrow());
    }

    private static TokenSettings settings(Map<String, String> options) {
        TokenSettings settings = TokenSettings.defaults();
        if (options.containsKey("issuer")) {
            settings = settings.withIssuer(options.get("issuer"));
        }
        if (options.containsKey("audience")) {
            settings = settings.withAudience(options.get("audience"));
        }
        if (options.containsKey("max-lifetime")) {
            Duration max = parseDuration(options.get("max-lifetime"), "--max-lifetime");
            try {
                settings = settings.withMaxTokenLifetime(max);
            } catch (IllegalArgumentException e) {
                throw new UsageException("invalid --max-lifetime: " + e.getMessage());
            }
        }
        return settings;
    }

    /** Parses {@code <n>s|m|h|d} or an ISO-8601 duration. */
    static Duration parseTtl(String text) {
        return parseDuration(text, "--ttl");
    }

    private static Duration parseDuration(String text, String option) {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("invalid " + option + " '" + text + "': use e.g. 3600s, 90m, 12h, 30d or P30D");
        } catch (ArithmeticException e) {
            throw new UsageException("invalid " + option + " '" + text + "': too long");
        }
    }

    static Map<String, String> parseOptions(String[] args, Set<String> allowed) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(2, equals);
                value = arg.substring(equals + 1);
            } else {
                name = arg.substring(2);
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (!allowed.contains(name)) {
                throw new UsageException("unknown option --" + name + " for " + args[0]);
            }
            if (options.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    private static Path path(Map<String, String> options, String name) {
        return Path.of(required(options, name));
    }

    private static String exactlyOne(Map<String, String> options, String... names) {
        String found = null;
        for (String name : names) {
            if (options.containsKey(name)) {
                if (found != null) {
                    throw new UsageException("give only one of --" + String.join(", --", names));
                }
                found = name;
            }
        }
        if (found == null) {
            throw new UsageException("give one of --" + String.join(", --", names));
        }
        return found;
    }

    private static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
