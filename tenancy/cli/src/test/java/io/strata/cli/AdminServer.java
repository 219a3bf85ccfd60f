package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the gateway's admin API on 127.0.0.1 (ephemeral port): records every request exactly as received and
 * answers with the replies queued, in order (500 when none is left), so tests check the wire contract both ways.
 */
final class AdminServer implements AutoCloseable {
    /** A request as received: method, raw path (still percent-encoded), headers (lowercase names), body. */
    record Request(String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null ? null : String.join(",", values);
        }
    }

    private record Reply(int status, String contentType, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();

    AdminServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    AdminServer reply(int status, String json) {
        replies.add(new Reply(status, "application/json", json));
        return this;
    }

    /** A 204 without body. */
    AdminServer noContent() {
        replies.add(new Reply(204, null, ""));
        return this;
    }

    /** An RFC 7807 problem document, as the gateway's AdminProblems writes them. */
    AdminServer problem(int status, String title, String detail) {
        replies.add(new Reply(status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}"));
        return this;
    }

    AdminServer replyText(int status, String text) {
        replies.add(new Reply(status, "text/html", text));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The one request received since the last call. */
    Request take() {
        assertThat(requests).hasSize(1);
        return requests.remove(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(java.util.Locale.ROOT), List.copyOf(values)));
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (query == null ? "" : "?" + query), headers, body));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = new Reply(500, "text/plain", "no reply queued");
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
