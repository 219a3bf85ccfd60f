package io.strata.cli;

import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenIssuer;
import io.strata.tenancy.TokenLimits;
import io.strata.tenancy.TokenSettings;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code strata token ...}: tokens signed and checked offline with the signing keys in a local directory (the
 * gateway's {@code <data>/keys}); no server is involved. {@code mint} prints a tenant token, {@code operator} an
 * operator token (the {@code operator} role, no tenant: for the admin API), {@code verify} checks a token as a
 * server would and prints {@code tenant=.. principal=.. expires=..}, {@code keygen} creates a key pair if absent
 * and prints its key id, {@code jwks} prints the public key as a JWKS.
 *
 * <p>{@code --ttl} and {@code --max-lifetime} take {@code <n>s|m|h|d} or ISO-8601 ({@code P30D}). A {@code --ttl}
 * beyond {@code --max-lifetime} (default 30 days, which must match the servers' {@code strata.auth.max-token-lifetime})
 * is a usage error, since servers would refuse the token. Issuer and audience default to
 * {@value TokenSettings#DEFAULT_ISSUER} like the server's.
 */
@Command(name = "token", description = "Tokens signed offline with the local signing keys (no server involved).",
        subcommands = {TokenCommand.Mint.class, TokenCommand.Operator.class, TokenCommand.Verify.class,
                TokenCommand.Keygen.class, TokenCommand.Jwks.class})
final class TokenCommand extends Group {

    /** What the server checks besides the signature; must match the servers' settings. */
    static final class Limits {
        @Option(names = "--issuer", paramLabel = "ISS",
                description = "The iss claim (default '" + TokenSettings.DEFAULT_ISSUER + "', as the server's).")
        String issuer;

        @Option(names = "--audience", paramLabel = "AUD",
                description = "The aud claim (default '" + TokenSettings.DEFAULT_ISSUER + "', as the server's).")
        String audience;

        @Option(names = "--max-lifetime", paramLabel = "DURATION",
                description = "The servers' strata.auth.max-token-lifetime (default 30d).")
        String maxLifetime;

        TokenSettings settings(CommandSpec spec) {
            TokenSettings settings = TokenSettings.defaults();
            if (issuer != null) {
                settings = settings.withIssuer(issuer);
            }
            if (audience != null) {
                settings = settings.withAudience(audience);
            }
            if (maxLifetime != null) {
                Duration max = duration(spec, maxLifetime, "--max-lifetime");
                try {
                    settings = settings.withMaxTokenLifetime(max);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "invalid --max-lifetime: " + e.getMessage());
                }
            }
            return settings;
        }

        /** The {@code --ttl}, refused (usage error) when servers with these settings would refuse the token. */
        static Duration checkedTtl(CommandSpec spec, String text, TokenSettings settings) {
            Duration ttl = duration(spec, text, "--ttl");
            if (ttl.compareTo(settings.maxTokenLifetime()) > 0) {
                throw new ParameterException(spec.commandLine(), "--ttl " + text
                        + " is longer than the maximum token lifetime of " + TokenLimits.human(settings.maxTokenLifetime())
                        + ": servers refuse such tokens (strata.auth.max-token-lifetime). Use a shorter --ttl; if the"
                        + " servers allow longer tokens, pass their limit as --max-lifetime");
            }
            if (ttl.getSeconds() < 1) {
                throw new ParameterException(spec.commandLine(), "--ttl must be at least 1 second: " + text);
            }
            return ttl;
        }
    }

    @Command(name = "mint", description = {"Mint a tenant token and print it.",
            "Without --allow the token may do everything in its tenant."})
    static final class Mint implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The signing key directory.")
        Path keys;

        @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "The tenant it opens.")
        String tenant;

        @Option(names = "--subject", required = true, paramLabel = "SUBJECT", description = "The principal.")
        String subject;

        @Option(names = "--ttl", required = true, paramLabel = "DURATION", description = "e.g. 3600s, 90m, 12h, 30d, P30D.")
        String ttl;

        @Option(names = "--allow", split = ",", paramLabel = "GRANT",
                description = "Limit the token, e.g. SELECT:app.users,SELECT|MODIFY:app.*")
        List<String> allow;

        @Option(names = "--tenant-admin", description = "Add the role '" + TokenIssuer.TENANT_ADMIN_ROLE + "'.")
        boolean tenantAdmin;

        @Mixin
        Limits limits;

        @Override
        public Integer call() throws IOException {
            TenantNames.requireValid(tenant);
            TokenSettings settings = limits.settings(spec);
            Duration lifetime = Limits.checkedTtl(spec, ttl, settings);
            checkGrants(spec, allow);
            SigningKeys signingKeys = SigningKeys.load(keys);
            Env env = Strata.env(spec);
            env.out().println(new TokenIssuer(signingKeys, settings, env.clock()).mint(tenant, subject, lifetime, allow,
                    tenantAdmin ? List.of(TokenIssuer.TENANT_ADMIN_ROLE) : List.of()));
            return 0;
        }
    }

    @Command(name = "operator", description = "Mint an operator token (for the admin API) and print it.")
    static final class Operator implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The signing key directory.")
        Path keys;

        @Option(names = "--subject", required = true, paramLabel = "SUBJECT", description = "Who the operator is.")
        String subject;

        @Option(names = "--ttl", required = true, paramLabel = "DURATION", description = "e.g. 3600s, 90m, 12h, 1d, P1D.")
        String ttl;

        @Mixin
        Limits limits;

        @Override
        public Integer call() throws IOException {
            TokenSettings settings = limits.settings(spec);
            Duration lifetime = Limits.checkedTtl(spec, ttl, settings);
            SigningKeys signingKeys = SigningKeys.load(keys);
            Env env = Strata.env(spec);
            env.out().println(new TokenIssuer(signingKeys, settings, env.clock()).mintOperator(subject, lifetime));
            return 0;
        }
    }

    @Command(name = "verify", description = {"Check a tenant token as a server would.",
            "Prints tenant=<t> principal=<p> expires=<instant>, or why it is refused (status 1)."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeySource keySource;

        @ArgGroup(exclusive = true, multiplicity = "1")
        TokenSource tokenSource;

        @Mixin
        Limits limits;

        static final class KeySource {
            @Option(names = "--keys", paramLabel = "DIR", description = "The signing key directory.")
            Path keys;

            @Option(names = "--public-key", paramLabel = "PEM", description = "A public key file.")
            Path publicKey;

            @Option(names = "--jwks", paramLabel = "FILE", description = "A JWKS file.")
            Path jwks;
        }

        static final class TokenSource {
            @Option(names = "--token", paramLabel = "TOKEN", description = "The token.")
            String token;

            @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the token.")
            Path tokenFile;
        }

        @Override
        public Integer call() throws IOException, AuthenticationException {
            TokenSettings settings = limits.settings(spec);
            SigningKeys keys = keySource.keys != null ? SigningKeys.load(keySource.keys)
                    : keySource.publicKey != null ? SigningKeys.verifyOnly(keySource.publicKey)
                    : SigningKeys.verifyOnlyJwks(keySource.jwks);
            String token = tokenSource.token != null ? tokenSource.token
                    : Files.readString(tokenSource.tokenFile, StandardCharsets.ISO_8859_1).strip();
            Env env = Strata.env(spec);
            // the username is only logged by the authenticator: a CQL login sends "token"
            TenantContext verified = new JwtAuthenticator(keys, settings, env.clock()).authenticate("token", token);
            env.out().println("tenant=" + verified.tenantId() + " principal=" + verified.principal()
                    + " expires=" + verified.validUntil());
            return 0;
        }
    }

    @Command(name = "keygen", description = {"Create a key pair in DIR if there is none; print its key id.",
            "An existing pair is kept."})
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The signing key directory.")
        Path keys;

        @Override
        public Integer call() throws IOException {
            Env env = Strata.env(spec);
            boolean existed = Files.exists(keys.resolve(SigningKeys.PRIVATE_KEY_FILE));
            SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);
            env.err().println((existed ? "kept the existing key pair in " : "wrote a new key pair to ") + keys);
            env.out().println(signingKeys.keyId().orElseThrow());
            return 0;
        }
    }

    @Command(name = "jwks", description = "Print the public key as a JWKS (to publish for other verifiers).")
    static final class Jwks implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keys", required = true, paramLabel = "DIR", description = "The signing key directory.")
        Path keys;

        @Override
        public Integer call() throws IOException {
            Strata.env(spec).out().println(SigningKeys.load(keys).publicJwks());
            return 0;
        }
    }

    /** Refuses (usage error) grants a server would refuse; null means none given. */
    static void checkGrants(CommandSpec spec, List<String> allow) {
        if (allow != null) {
            try {
                AccessPolicy.parse(allow);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--allow: " + e.getMessage());
            }
        }
    }

    static Duration duration(CommandSpec spec, String text, String option) {
        try {
            return Durations.parse(text, option);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
