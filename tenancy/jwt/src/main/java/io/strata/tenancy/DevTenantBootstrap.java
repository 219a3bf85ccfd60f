package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Makes a fresh install usable without any setup: ensures a signing key pair under
 * {@code <data>/keys/} ({@link SigningKeys#loadOrGenerate}) and a token for tenant {@value #DEV_TENANT},
 * subject {@value #DEV_SUBJECT}, in {@code <data>/dev-token} (mode 0600 where POSIX).
 *
 * <p>Idempotent across restarts: an existing token is kept as long as it verifies with the current keys
 * and settings (including the maximum token lifetime), names the dev tenant and stays valid for at least
 * {@link #renewBefore()}; otherwise (missing, expired, expiring soon, signed by a replaced key, wrong issuer
 * or audience, longer-lived than now allowed, unreadable) a new one valid for {@link #tokenLifetime()}
 * replaces it. A developer's copy of the token therefore keeps working until the keys change or it nears
 * its expiry, at most the maximum token lifetime (30 days by default).
 *
 * <p>Not thread-safe with respect to the file system: run it once at startup, by one process per data
 * directory.
 */
public final class DevTenantBootstrap {
    public static final String DEV_TENANT = "dev";
    public static final String DEV_SUBJECT = "dev";
    /**
     * Lifetime of a minted dev token: the default maximum token lifetime, so it is accepted; shortened to
     * the configured maximum when that is lower ({@link #tokenLifetime}).
     */
    public static final Duration TOKEN_LIFETIME = TokenLimits.DEFAULT_MAX_TOKEN_LIFETIME;
    /**
     * An existing dev token closer than this to its expiry is replaced at startup; a quarter of the
     * lifetime when that is shorter ({@link #renewBefore}).
     */
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);
    public static final String KEYS_DIR = "keys";
    public static final String TOKEN_FILE = "dev-token";
    /** An operator token for the admin API, next to the dev token (local default only). */
    public static final String OPERATOR_TOKEN_FILE = "operator-token";

    private static final Logger LOG = Logger.getLogger(DevTenantBootstrap.class);

    private final Path dataDir;
    private final TokenSettings settings;
    private final Clock clock;

    /** Uses {@link TokenSettings#defaults()}. */
    public DevTenantBootstrap(Path dataDir, Clock clock) {
        this(dataDir, TokenSettings.defaults(), clock);
    }

    public DevTenantBootstrap(Path dataDir, TokenSettings settings, Clock clock) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * What the bootstrap produced.
     *
     * @param token the dev token (also in {@code tokenFile})
     * @param tokenFile where the token is stored
     * @param minted whether this call minted the token (false: an existing one was kept)
     * @param expiresAt when the token expires
     * @param keys the signing keys, to build the server's {@link JwtAuthenticator} with
     * @param message how to connect, for the startup log
     */
    public record Result(String token, Path tokenFile, boolean minted, Instant expiresAt, SigningKeys keys,
            String message) {
        public Result {
            requireNonNull(token, "token is null");
            requireNonNull(tokenFile, "tokenFile is null");
            requireNonNull(expiresAt, "expiresAt is null");
            requireNonNull(keys, "keys is null");
            requireNonNull(message, "message is null");
        }

        @Override
        public String toString() {
            // keeps the token itself out of logs that print the record
            return "Result[tokenFile=" + tokenFile + ", minted=" + minted + ", expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Ensures keys and a valid dev token exist.
     *
     * @param host the CQL host clients should connect to, for the message
     * @param port the CQL port, for the message
     * @param localDatacenter the datacenter the server reports, for the driver snippet
     * @throws IOException if the data directory cannot be read or written
     */
    public Result ensure(String host, int port, String localDatacenter) throws IOException {
        requireNonNull(host, "host is null");
        requireNonNull(localDatacenter, "localDatacenter is null");
        SigningKeys keys = SigningKeys.loadOrGenerate(dataDir.resolve(KEYS_DIR));
        JwtAuthenticator authenticator = new JwtAuthenticator(keys, settings, clock);
        Path tokenFile = dataDir.resolve(TOKEN_FILE);

        JwtAuthenticator.VerifiedToken existing = reusable(authenticator, tokenFile);
        String token;
        JwtAuthenticator.VerifiedToken verified;
        boolean minted = existing == null;
        if (minted) {
            token = new TokenIssuer(keys, settings, clock).mint(DEV_TENANT, DEV_SUBJECT, tokenLifetime());
            try {
                verified = authenticator.verify(token);
            } catch (AuthenticationException e) {
                throw new IllegalStateException("a freshly minted dev token does not verify: " + e.getMessage(), e);
            }
            PrivateFiles.write(tokenFile, (token + "\n").getBytes(StandardCharsets.US_ASCII));
            LOG.infof("Minted a dev token for tenant '%s' in %s, valid until %s", DEV_TENANT, tokenFile,
                    verified.expiresAt());
        } else {
            token = readToken(tokenFile);
            verified = existing;
        }
        ensureOperatorToken(keys, authenticator);
        return new Result(token, tokenFile, minted, verified.expiresAt(), keys,
                message(tokenFile, verified.expiresAt(), host, port, localDatacenter));
    }

    /** @return the lifetime minted dev tokens get: {@link #TOKEN_LIFETIME}, capped at the maximum lifetime */
    Duration tokenLifetime() {
        Duration max = settings.maxTokenLifetime();
        return TOKEN_LIFETIME.compareTo(max) <= 0 ? TOKEN_LIFETIME : max;
    }

    /** @return how close to its expiry a dev token is replaced: {@link #RENEW_BEFORE} or a quarter lifetime */
    Duration renewBefore() {
        Duration quarter = tokenLifetime().dividedBy(4);
        return RENEW_BEFORE.compareTo(quarter) <= 0 ? RENEW_BEFORE : quarter;
    }

    private JwtAuthenticator.VerifiedToken reusable(JwtAuthenticator authenticator, Path tokenFile)
            throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            return null;
        }
        try {
            JwtAuthenticator.VerifiedToken verified = authenticator.verify(readToken(tokenFile));
            if (!verified.context().tenantId().equals(DEV_TENANT)) {
                LOG.infof("Replacing %s: it names tenant '%s', not '%s'", tokenFile, verified.context().tenantId(),
                        DEV_TENANT);
                return null;
            }
            if (verified.expiresAt().isBefore(clock.instant().plus(renewBefore()))) {
                LOG.infof("Replacing %s: it expires at %s", tokenFile, verified.expiresAt());
                return null;
            }
            return verified;
        } catch (AuthenticationException e) {
            LOG.infof("Replacing %s: %s", tokenFile, e.getMessage());
            return null;
        }
    }

    private void ensureOperatorToken(SigningKeys keys, JwtAuthenticator authenticator) throws IOException {
        Path file = dataDir.resolve(OPERATOR_TOKEN_FILE);
        if (Files.isRegularFile(file)) {
            try {
                JwtAuthenticator.Operator operator = authenticator.verifyOperator(readToken(file));
                if (!operator.expiresAt().isBefore(clock.instant().plus(renewBefore()))) {
                    return;
                }
            } catch (AuthenticationException e) {
                LOG.infof("Replacing %s: %s", file, e.getMessage());
            }
        }
        String token = new TokenIssuer(keys, settings, clock).mintOperator("dev-operator", tokenLifetime());
        PrivateFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        LOG.infof("Minted an operator token for the admin API in %s", file);
    }

    private static String readToken(Path tokenFile) throws IOException {
        // ISO-8859-1 decodes any bytes, so a corrupt file fails verification (and is replaced) instead of reading
        return new String(Files.readAllBytes(tokenFile), StandardCharsets.ISO_8859_1).strip();
    }

    static String message(Path tokenFile, Instant expiresAt, String host, int port, String localDatacenter) {
        String file = tokenFile.toAbsolutePath().toString();
        return String.join("\n",
                "Dev tenant '" + DEV_TENANT + "' is ready. Its token is in " + file + " (valid until " + expiresAt + ").",
                "Connect with cqlsh:",
                "  cqlsh " + host + " " + port + " -u token -p \"$(cat " + file + ")\"",
                "Connect with the Java driver (4.x):",
                "  CqlSession session = CqlSession.builder()",
                "      .addContactPoint(new InetSocketAddress(\"" + host + "\", " + port + "))",
                "      .withLocalDatacenter(\"" + localDatacenter + "\")",
                "      .withAuthCredentials(\"token\", Files.readString(Path.of(\"" + file + "\")).strip())",
                "      .build();",
                "Create other tenants with the strata command line (deploy/strata) and the operator token in "
                        + tokenFile.toAbsolutePath().getParent().resolve(OPERATOR_TOKEN_FILE) + ":",
                "  deploy/strata --token-file " + tokenFile.toAbsolutePath().getParent().resolve(OPERATOR_TOKEN_FILE)
                        + " tenants create acme",
                "then issue their tokens: deploy/strata tokens issue acme --subject USER --ttl 30d, or offline:",
                "  deploy/strata token mint --keys " + tokenFile.toAbsolutePath().getParent().resolve(KEYS_DIR)
                        + " --tenant acme --subject USER --ttl 30d");
    }
}
