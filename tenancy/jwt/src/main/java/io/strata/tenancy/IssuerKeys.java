package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import java.security.Key;
import java.util.Set;
import java.util.TreeSet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Where the keys of one {@link TrustedIssuer} come from: fixed {@link SigningKeys} (Strata's own pair, a PEM
 * public key, a JWKS file) or a JWKS fetched over HTTPS ({@link RemoteJwks}). Implementations are
 * thread-safe.
 */
public sealed interface IssuerKeys permits IssuerKeys.Fixed, RemoteJwks {
    /** @return the JWS {@code alg} names tokens of this issuer may use */
    Set<String> algorithms();

    /**
     * @return the key that verifies {@code jws} (it has not been verified yet)
     * @throws UnresolvableKeyException if no key matches; its message is shown to the user
     */
    Key resolve(JsonWebSignature jws) throws UnresolvableKeyException;

    /** Keys known at construction time; never fetched. */
    static IssuerKeys of(SigningKeys keys) {
        return new Fixed(keys);
    }

    /** @param keys the verification keys (a key pair's private half is not used here) */
    record Fixed(SigningKeys keys) implements IssuerKeys {
        public Fixed {
            requireNonNull(keys, "keys is null");
        }

        @Override
        public Set<String> algorithms() {
            Set<String> names = new TreeSet<>();
            for (SignatureAlgorithm algorithm : keys.algorithms()) {
                names.add(algorithm.getAlgorithm());
            }
            return Set.copyOf(names);
        }

        @Override
        public Key resolve(JsonWebSignature jws) throws UnresolvableKeyException {
            return keys.verificationKey(jws);
        }
    }
}
