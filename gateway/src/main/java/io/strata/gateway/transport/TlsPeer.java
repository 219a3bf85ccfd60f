package io.strata.gateway.transport;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What the transport knows about a connection's client: whether it completed a TLS handshake, and the
 * principal of the client certificate it presented, if any (verified against the trusted CAs during the
 * handshake; the JDK refuses the handshake otherwise). Immutable.
 *
 * @param secured whether the connection is TLS with a finished handshake
 * @param principal the client certificate's principal ({@link #principalOf}), or null without one
 */
record TlsPeer(boolean secured, String principal) {
    static final TlsPeer PLAINTEXT = new TlsPeer(false, null);

    /** The connection's state as its pipeline shows it; plaintext when no handshake has finished. */
    static TlsPeer of(ChannelPipeline pipeline) {
        SslHandler ssl = pipeline == null ? null : pipeline.get(SslHandler.class);
        if (ssl == null || !ssl.handshakeFuture().isSuccess()) {
            return PLAINTEXT;
        }
        return new TlsPeer(true, principalOf(ssl.engine().getSession()));
    }

    static String principalOf(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? principalOf(leaf) : null;
        } catch (SSLPeerUnverifiedException none) {
            return null; // client-auth none or request: the client sent no certificate
        }
    }

    /**
     * The subject's common name (CN); without one, the first DNS name, URI (e.g. a SPIFFE id) or e-mail
     * address among the subject alternative names; else the whole subject DN.
     */
    static String principalOf(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        try {
            List<Rdn> rdns = new LdapName(subject).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) { // LdapName lists RDNs right to left: the most specific last
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return String.valueOf(rdns.get(i).getValue());
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the alternative names
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    int type = (Integer) name.get(0);
                    if (type == 2 || type == 6 || type == 1) { // dNSName, uniformResourceIdentifier, rfc822Name
                        return String.valueOf(name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names
        }
        return subject;
    }
}
