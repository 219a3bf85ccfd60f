package io.strata.e2e;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which backend the end-to-end gateways use, from the system property {@code strata.e2e.storage}:
 * {@code local} (the default: zone directories under the gateway's data directory) or {@code s3} (three
 * buckets on one S3Proxy, a real S3-compatible HTTP server on loopback started once per test JVM; the
 * gateway child process talks to it over HTTP). Each data directory gets its own three buckets, so a
 * restarted gateway finds its data again and tests stay isolated.
 */
final class E2eStorage {
    private static S3ProxyExtension proxy;

    private E2eStorage() {}

    static boolean s3() {
        return "s3".equals(System.getProperty("strata.e2e.storage", "local"));
    }

    /** Extra gateway configuration for a data directory. */
    static Map<String, String> config(Path dataDir) {
        return s3() ? s3Config(dataDir) : new LinkedHashMap<>();
    }

    /** Configuration of the S3 backend on this JVM's S3Proxy, with three buckets of its own for the directory. */
    static Map<String, String> s3Config(Path dataDir) {
        Map<String, String> config = new LinkedHashMap<>();
        S3ProxyExtension p = proxy();
        String base = "e2e-" + UUID.nameUUIDFromBytes(dataDir.toAbsolutePath().toString()
                .getBytes(StandardCharsets.UTF_8)).toString().substring(0, 13);
        String buckets = base + "-a," + base + "-b," + base + "-c";
        createBuckets(p, buckets.split(","));
        config.put("strata.storage.type", "s3");
        config.put("strata.storage.s3.buckets", buckets);
        config.put("strata.storage.s3.endpoints", p.getUri().toString());
        config.put("strata.storage.s3.access-key", p.getAccessKey());
        config.put("strata.storage.s3.secret-key", p.getSecretKey());
        config.put("strata.storage.s3.path-style", "true");
        // on shared storage the dev tenant is opt-in; the tests connect as it
        config.put("strata.auth.dev-tenant", "true");
        return config;
    }

    static synchronized S3ProxyExtension proxy() {
        if (proxy == null) {
            S3ProxyExtension p = S3ProxyExtension.builder().withCredentials("access", "secret").build();
            try {
                p.beforeEach(null); // starts it on 127.0.0.1 with a filesystem store in a temp directory
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> p.afterEach(null)));
            proxy = p;
        }
        return proxy;
    }

    /** A client of this JVM's S3Proxy; the caller closes it. */
    static S3Client client() {
        S3ProxyExtension p = proxy();
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(p.getUri().toString()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(p.getAccessKey(), p.getSecretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(true)
                .build();
    }

    private static void createBuckets(S3ProxyExtension p, String... buckets) {
        try (S3Client client = client()) {
            for (String b : buckets) {
                if (client.listBuckets().buckets().stream().noneMatch(x -> x.name().equals(b))) {
                    client.createBucket(r -> r.bucket(b));
                }
            }
        }
    }
}
