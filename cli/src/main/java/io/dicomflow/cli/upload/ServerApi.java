package io.dicomflow.cli.upload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import io.dicomflow.cli.support.Json;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP calls of {@code upload}: the portal's public {@code /api/config}, {@code POST /api/uploads}
 * (one multipart part {@code files} per file), {@code GET /api/uploads/{id}}, and form posts to the
 * issuer. Tokens travel in headers only and are never part of a message.
 */
public final class ServerApi {

    /** A status and a parsed JSON body (a missing node when the body is empty or not JSON). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final HttpClient http;
    private final URI server;

    public ServerApi(HttpClient http, URI server) {
        this.http = http;
        this.server = server;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HttpClient http() {
        return http;
    }

    public URI server() {
        return server;
    }

    /** {@code GET /api/config}; the server is unreachable or not dicomflow → exit code 2. */
    public JsonNode config() {
        Response response = send(HttpRequest.newBuilder(resolve("/api/config")).GET()
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build());
        if (!response.ok() || !response.body().isObject()) {
            throw CliException.invalidInput("server " + server + " is not a dicomflow server (GET /api/config: HTTP "
                    + response.status() + ")");
        }
        return response.body();
    }

    /** Posts one file as a multipart upload. */
    public Response upload(Path file, String token) throws IOException {
        String boundary = "dicomflow-" + UUID.randomUUID();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                + partFileName(file) + "\"\r\nContent-Type: application/dicom\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(resolve("/api/uploads"))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)))
                .build();
        return send(request);
    }

    public Response upload(String uploadId, String token) {
        return send(HttpRequest.newBuilder(resolve("/api/uploads/" + uploadId)).GET()
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).build());
    }

    /** A form POST ({@code application/x-www-form-urlencoded}), optionally with HTTP Basic client authentication. */
    public Response postForm(URI uri, Map<String, String> form, String basicUser, String basicPassword) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicUser != null) {
            String credentials = encode(basicUser) + ":" + encode(basicPassword);
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build());
    }

    public Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), parse(response.body()));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw CliException.invalidInput("cannot reach " + request.uri().getScheme() + "://"
                    + request.uri().getAuthority() + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, request.method() + " " + request.uri().getPath() + " failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "interrupted");
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return Json.mapper().missingNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (RuntimeException e) {
            return Json.mapper().missingNode();
        }
    }

    private URI resolve(String path) {
        String base = server.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** The file's own name, with the characters that would break the header replaced. */
    static String partFileName(Path file) {
        return file.getFileName().toString().replaceAll("[\"\\\\\\r\\n]", "_");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
