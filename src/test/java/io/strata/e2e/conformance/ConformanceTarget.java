package io.strata.e2e.conformance;

import io.strata.e2e.GatewayProcess;
import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The server the corpus runs against, chosen by system properties. By default (no property) it is the
 * built gateway started as a child process ({@link GatewayProcess}), authenticated with its dev token.
 * With {@code -Dconformance.contactPoint=host:port} it is a server already running there (Apache Cassandra,
 * for an oracle run): no child process, and credentials from {@code -Dconformance.auth} ({@code none}, the
 * default there, or {@code user:password}).
 *
 * <ul>
 *   <li>{@code conformance.server}: the name in the report file {@code target/conformance-<server>.txt};
 *       {@code strata} for the gateway, {@code external} otherwise;</li>
 *   <li>{@code conformance.dialect}: {@code keyspaces} (the corpus as written: cases marked
 *       {@code -- keyspaces:} are expectations like any other) or {@code cassandra} (those cases are run
 *       and reported apart, and pending markers, which are about Strata, do not apply); {@code keyspaces}
 *       for the gateway, {@code cassandra} for a contact point.</li>
 * </ul>
 * Closing stops the gateway if this target started one. Not thread-safe.
 */
final class ConformanceTarget implements AutoCloseable {
    /** Which answers the server gives where Amazon Keyspaces and Apache Cassandra differ. */
    enum Dialect { KEYSPACES, CASSANDRA }

    private final String server;
    private final Dialect dialect;
    private final InetSocketAddress address;
    private final Optional<String[]> credentials;
    private final GatewayProcess gateway; // null for an external server

    private ConformanceTarget(String server, Dialect dialect, InetSocketAddress address, Optional<String[]> credentials,
            GatewayProcess gateway) {
        this.server = requireNonNull(server, "server is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.address = requireNonNull(address, "address is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.gateway = gateway;
    }

    /** Reads the {@code conformance.*} system properties; starts the gateway (data under {@code tmp}) unless external. */
    static ConformanceTarget fromSystemProperties(Path tmp) throws Exception {
        String contact = System.getProperty("conformance.contactPoint", "").trim();
        String auth = System.getProperty("conformance.auth", "").trim();
        if (contact.isEmpty()) {
            GatewayProcess gateway = new GatewayProcess(tmp.resolve("data"), java.util.Map.of()).start();
            try {
                Optional<String[]> credentials = auth.isEmpty()
                        ? Optional.of(new String[] {"token", gateway.devToken()})
                        : credentials(auth);
                return new ConformanceTarget(property("conformance.server", "strata"),
                        dialect(property("conformance.dialect", "keyspaces")),
                        new InetSocketAddress("127.0.0.1", gateway.port()), credentials, gateway);
            } catch (RuntimeException e) {
                gateway.close();
                throw e;
            }
        }
        int colon = contact.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("conformance.contactPoint must be host:port, got '" + contact + "'");
        }
        InetSocketAddress address = new InetSocketAddress(contact.substring(0, colon),
                Integer.parseInt(contact.substring(colon + 1)));
        return new ConformanceTarget(property("conformance.server", "external"),
                dialect(property("conformance.dialect", "cassandra")), address,
                credentials(auth.isEmpty() ? "none" : auth), null);
    }

    private static String property(String name, String fallback) {
        String v = System.getProperty(name, "").trim();
        return v.isEmpty() ? fallback : v;
    }

    private static Dialect dialect(String name) {
        try {
            return Dialect.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("conformance.dialect must be keyspaces or cassandra, got '" + name + "'");
        }
    }

    private static Optional<String[]> credentials(String auth) {
        if (auth.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        int colon = auth.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("conformance.auth must be none or user:password");
        }
        return Optional.of(new String[] {auth.substring(0, colon), auth.substring(colon + 1)});
    }

    /** The report's name for the server: {@code strata}, {@code cassandra}, ... */
    String server() {
        return server;
    }

    Dialect dialect() {
        return dialect;
    }

    InetSocketAddress address() {
        return address;
    }

    /** SASL PLAIN user and password, if the server is to be authenticated against. */
    Optional<String[]> credentials() {
        return credentials;
    }

    /** Whether the server was already running (not started, nor stopped, by this run). */
    boolean external() {
        return gateway == null;
    }

    @Override
    public void close() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
    }
}
