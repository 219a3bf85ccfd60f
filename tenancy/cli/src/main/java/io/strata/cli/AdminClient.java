package io.strata.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of the gateway's admin API ({@code /admin/...}): sends {@code Authorization: Bearer <token>} and
 * {@code Accept: application/json}, bodies as {@code application/json}; answers a 2xx response's JSON
 * ({@link MissingNode} for an empty body). Any other status is an {@link ApiProblem} made from the RFC 7807 problem
 * document the server sends; an unreachable server is a {@link CliException} naming the URL.
 */
final class AdminClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    // a storage repair pass may copy many blobs
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final URI base;
    private final String token;
    private final HttpClient http;

    AdminClient(URI base, String token) {
        this.base = requireNonNull(base, "base is null");
        this.token = requireNonNull(token, "token is null");
        // HTTP/1.1: no h2c upgrade dance with the gateway or a proxy in front of it
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** An error answer of the server: {@code <status> <title>: <detail>}. */
    static final class ApiProblem extends CliException {
        final int status;

        ApiProblem(int status, String title, String detail) {
            super(status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail));
            this.status = status;
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        return send("POST", path, body);
    }

    JsonNode delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    /** @param path absolute, its variable segments encoded with {@link #segment} */
    JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliException("cannot connect to the gateway at " + base + " (connection refused): is it running"
                    + " there? Set --url or STRATA_URL", e);
        } catch (HttpConnectTimeoutException e) {
            throw new CliException("cannot connect to the gateway at " + base + ": timed out after "
                    + CONNECT_TIMEOUT.toSeconds() + " s", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(method + " " + uri + " got no answer within " + REQUEST_TIMEOUT.toMinutes()
                    + " minutes", e);
        } catch (IOException e) {
            throw new CliException(method + " " + uri + " failed: " + e, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return parse(response.body(), uri);
        }
        throw problem(status, response.body(), method + " " + path);
    }

    private static JsonNode parse(String body, URI uri) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new CliException(uri + " answered something that is not JSON: " + abbreviate(body));
        }
    }

    /**
     * Reads an RFC 7807 document; any other body (a proxy's page, say) becomes the detail, except for a 404, which
     * then means the gateway does not serve {@code request} at all (the admin API answers a missing resource with a
     * problem document).
     */
    static ApiProblem problem(int status, String body, String request) {
        try {
            JsonNode problem = body == null || body.isBlank() ? MissingNode.getInstance() : JSON.readTree(body);
            if (problem.isObject()) {
                return new ApiProblem(status, problem.path("title").asText(reason(status)),
                        problem.path("detail").asText(null));
            }
        } catch (JsonProcessingException e) {
            // not JSON: fall through
        }
        if (status == 404) {
            return new ApiProblem(status, reason(status), "this gateway does not serve " + request
                    + " (is it older than this command line?)");
        }
        return new ApiProblem(status, reason(status), body == null ? null : abbreviate(body.strip()));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "HTTP error";
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** Percent-encodes one path segment (everything but RFC 3986 unreserved characters). */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
