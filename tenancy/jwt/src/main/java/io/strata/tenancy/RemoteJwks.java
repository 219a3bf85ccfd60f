package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The JSON Web Key Set an identity provider publishes (Keycloak's {@code .../protocol/openid-connect/certs},
 * Auth0's and Cognito's {@code .../.well-known/jwks.json}), fetched with jose4j's {@link HttpsJwks}.
 *
 * <p>Caching: the set is fetched on first use and kept for the response's {@code Cache-Control max-age}
 * or, without one, the configured cache duration; if the provider is unreachable when the cache expires,
 * the old set is kept for {@link #RETAIN_ON_ERROR} so an outage of the provider does not lock every client
 * out. Rotation: a token naming a {@code kid} the cached set lacks forces a refresh, at most once per
 * {@code minRefreshInterval} (measured with the injected {@link Clock}) so a stream of tokens with made-up
 * key ids cannot turn this server into a load generator against the provider.
 *
 * <p>Only {@code https} URLs are accepted, except {@code http} to a loopback address (a provider's sidecar,
 * tests): keys fetched in clear text over a network could be replaced by anyone on the path.
 *
 * <p>Blocking: {@link #resolve} may perform HTTP requests (connect and read timeouts of
 * {@link #HTTP_TIMEOUT}); callers authenticate off the event loop. Thread-safe: {@link HttpsJwks} guards
 * its cache, and the forced-refresh rate limit is guarded by this object's lock.
 */
public final class RemoteJwks implements IssuerKeys {
    /** How long a set is kept when the provider cannot be reached to refresh it. */
    public static final Duration RETAIN_ON_ERROR = Duration.ofHours(1);
    /** Connect and read timeout of each fetch. */
    public static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(RemoteJwks.class);
    private static final Set<String> ALGORITHMS =
            Set.of(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.RSA_USING_SHA256);

    private final URI url;
    private final HttpsJwks jwks;
    private final Duration minRefreshInterval;
    private final Clock clock;
    private Instant lastForcedRefresh; // guarded by this

    private RemoteJwks(URI url, HttpsJwks jwks, Duration minRefreshInterval, Clock clock) {
        this.url = url;
        this.jwks = jwks;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
    }

    /**
     * @param url where the provider publishes its JWKS; {@code https}, or {@code http} to a loopback address
     * @param cacheDuration how long a fetched set is used when the response has no {@code max-age}
     * @param minRefreshInterval the least time between two refreshes forced by an unknown {@code kid}
     * @throws IllegalArgumentException if the URL is unusable or a duration is not positive
     */
    public static RemoteJwks of(URI url, Duration cacheDuration, Duration minRefreshInterval, Clock clock) {
        requireNonNull(url, "url is null");
        requireNonNull(cacheDuration, "cacheDuration is null");
        requireNonNull(minRefreshInterval, "minRefreshInterval is null");
        requireNonNull(clock, "clock is null");
        checkUrl(url);
        if (cacheDuration.getSeconds() < 1 || minRefreshInterval.isNegative()) {
            throw new IllegalArgumentException("JWKS cache duration must be at least 1 second and the minimum"
                    + " refresh interval not negative: " + cacheDuration + ", " + minRefreshInterval);
        }
        Get get = new Get();
        get.setConnectTimeout((int) HTTP_TIMEOUT.toMillis());
        get.setReadTimeout((int) HTTP_TIMEOUT.toMillis());
        // one retry: a client waits for this during its login
        get.setRetries(1);
        HttpsJwks jwks = new HttpsJwks(url.toString());
        jwks.setSimpleHttpGet(get);
        jwks.setDefaultCacheDuration(cacheDuration.getSeconds());
        jwks.setRetainCacheOnErrorDuration(RETAIN_ON_ERROR.toMillis());
        // the forced-refresh rate limit is ours (by the injected clock); jose4j's own 300 ms one would hide a
        // key rotated in just after the set was first fetched
        jwks.setRefreshReprieveThreshold(0);
        return new RemoteJwks(url, jwks, minRefreshInterval, clock);
    }

    /** @return where the set is fetched from */
    public URI url() {
        return url;
    }

    @Override
    public Set<String> algorithms() {
        return ALGORITHMS;
    }

    @Override
    public Key resolve(JsonWebSignature jws) throws UnresolvableKeyException {
        JsonWebKey key = select(jws, keys());
        if (key == null && mayForceRefresh()) {
            LOG.debugf("Refreshing the JWKS at %s: no key matches kid '%s'", url, jws.getKeyIdHeaderValue());
            try {
                jwks.refresh();
            } catch (IOException | JoseException e) {
                throw unavailable(e);
            }
            key = select(jws, keys());
        }
        if (key == null) {
            throw new UnresolvableKeyException("no trusted key matches this token (key id '"
                    + JwtAuthenticator.echo(jws.getKeyIdHeaderValue()) + "' is not in the key set published at "
                    + url + ")");
        }
        return key.getKey();
    }

    @Override
    public String toString() {
        return "RemoteJwks[" + url + "]";
    }

    private List<JsonWebKey> keys() throws UnresolvableKeyException {
        try {
            return jwks.getJsonWebKeys();
        } catch (IOException | JoseException e) {
            throw unavailable(e);
        }
    }

    private UnresolvableKeyException unavailable(Exception e) {
        return new UnresolvableKeyException("cannot fetch the issuer's keys from " + url + " (" + e.getMessage()
                + "); try again later", e);
    }

    private synchronized boolean mayForceRefresh() {
        Instant now = clock.instant();
        if (lastForcedRefresh != null && now.isBefore(lastForcedRefresh.plus(minRefreshInterval))) {
            return false;
        }
        lastForcedRefresh = now;
        return true;
    }

    private static JsonWebKey select(JsonWebSignature jws, List<JsonWebKey> keys) throws UnresolvableKeyException {
        try {
            return new VerificationJwkSelector().selectWithVerifySignatureDisambiguate(jws, keys);
        } catch (JoseException e) {
            throw new UnresolvableKeyException("cannot select a key for this token: " + e.getMessage(), e);
        }
    }

    private static void checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("JWKS URL must be an absolute https URL: " + url);
        }
        if (scheme.equals("http") && !isLoopback(url.getHost())) {
            throw new IllegalArgumentException("JWKS URL must use https (plain http is accepted only for loopback"
                    + " addresses): " + url);
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // only literal addresses: a name could resolve differently later
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
