package io.strata.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Batched deletes against an S3-compatible server that lacks DeleteObjects: S3Proxy implements it, so this runs a
 * minimal HTTP endpoint on loopback that refuses it as such stores do (501, or 400 with code NotImplemented) and
 * takes single-object DELETEs. The store must fall back to one DELETE per key, and stop asking.
 */
class TestS3DeleteFallback {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @ParameterizedTest
    @CsvSource({"501, NotImplemented", "400, NotImplemented"})
    void aStoreWithoutDeleteObjectsGetsOneDeletePerKey(int status, String code) throws IOException {
        List<String> requests = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String method = exchange.getRequestMethod();
            String target = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            exchange.getRequestBody().readAllBytes();
            requests.add(method + " " + target);
            if (method.equals("POST") && target.endsWith("?delete")) {
                answer(exchange, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                        + "</Code><Message>DeleteObjects is not implemented</Message></Error>");
            } else if (method.equals("DELETE")) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else {
                answer(exchange, 400, "<Error><Code>InvalidRequest</Code><Message>unexpected</Message></Error>");
            }
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        S3Client client = S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .forcePathStyle(true)
                .build();
        try (S3BlobStore store = new S3BlobStore(client, "bucket", "zone-a/")) {
            store.delete(List.of("log/1", "log/2", "log/3")).toCompletableFuture().join();
            assertEquals(List.of("POST /bucket?delete", "DELETE /bucket/zone-a/log/1", "DELETE /bucket/zone-a/log/2",
                    "DELETE /bucket/zone-a/log/3"), requests);

            requests.clear();
            store.delete(List.of("log/4", "log/5")).toCompletableFuture().join();
            assertEquals(List.of("DELETE /bucket/zone-a/log/4", "DELETE /bucket/zone-a/log/5"), requests,
                    "once refused, DeleteObjects is not asked again");
            assertTrue(requests.stream().noneMatch(r -> r.startsWith("POST")));
        }
    }

    private static void answer(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
