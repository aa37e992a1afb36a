package io.dicomflow.cli.upload;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.ExitCodes;
import tools.jackson.databind.JsonNode;

/**
 * Where the access token comes from, in this order: a given token ({@code --token} or
 * {@code DICOMFLOW_TOKEN}); a confidential client ({@code --client-id/--client-secret} or
 * {@code DICOMFLOW_CLIENT_ID/DICOMFLOW_CLIENT_SECRET}) with the client_credentials grant; otherwise
 * the device authorization grant as the public client {@code dicomflow-cli} (the user opens the printed
 * address and types the code; we poll). Endpoints come from the issuer's metadata
 * ({@code /.well-known/oauth-authorization-server}); the issuer is the one {@link IssuerPin} allows (pinned
 * per server, https off this machine), and so must be every endpoint its metadata names. A token is never
 * printed.
 */
public final class TokenSource {

    static final String DEVICE_CLIENT_ID = "dicomflow-cli";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final ServerApi api;
    private final PrintWriter err;

    public TokenSource(ServerApi api, PrintWriter err) {
        this.api = api;
        this.err = err;
    }

    public String token(String token, String clientId, String clientSecret, String issuer, Duration deviceTimeout) {
        if (token != null && !token.isBlank()) {
            return token.strip();
        }
        if (issuer == null || issuer.isBlank()) {
            throw CliException.invalidInput("the server names no token issuer: pass --token (or set DICOMFLOW_TOKEN)");
        }
        Endpoints endpoints = endpoints(issuer.strip());
        if (clientId != null && !clientId.isBlank()) {
            if (clientSecret == null) {
                throw CliException.invalidInput("--client-id needs --client-secret (or DICOMFLOW_CLIENT_SECRET)");
            }
            return clientCredentials(endpoints, clientId, clientSecret);
        }
        return deviceGrant(endpoints, deviceTimeout);
    }

    /** @param deviceAuthorization null when the issuer's metadata names none */
    record Endpoints(URI token, URI deviceAuthorization) {
    }

    private Endpoints endpoints(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URI token = URI.create(base + "/oauth2/token");
        URI device = URI.create(base + "/oauth2/device_authorization");
        ServerApi.Response metadata = api.get(URI.create(base + "/.well-known/oauth-authorization-server"));
        if (metadata.ok()) {
            // RFC 8414 section 3.3: metadata naming another issuer must not be used
            String named = metadata.body().path("issuer").asString(null);
            if (named != null && !stripSlash(named).equals(base)) {
                throw CliException.invalidInput("the issuer's metadata names issuer " + named + ", not " + base
                        + "; refusing to send credentials");
            }
            if (metadata.body().path("token_endpoint").isString()) {
                token = URI.create(metadata.body().path("token_endpoint").asString());
            }
            // published metadata without a device endpoint: the issuer has no device sign-in
            device = metadata.body().path("device_authorization_endpoint").isString()
                    ? URI.create(metadata.body().path("device_authorization_endpoint").asString()) : null;
        }
        // the secret and the device code go to these, so they are held to the issuer's own rule
        IssuerPin.requireSecureTransport(token.toString());
        if (device != null) {
            IssuerPin.requireSecureTransport(device.toString());
        }
        return new Endpoints(token, device);
    }

    private static String stripSlash(String url) {
        String value = url.strip();
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private String clientCredentials(Endpoints endpoints, String clientId, String clientSecret) {
        ServerApi.Response response = api.postForm(endpoints.token(), Map.of("grant_type", "client_credentials"),
                clientId, clientSecret);
        if (!response.ok()) {
            throw CliException.invalidInput("the issuer refused client " + clientId + " (HTTP " + response.status()
                    + oauthError(response.body()) + ")");
        }
        return accessToken(response);
    }

    private String deviceGrant(Endpoints endpoints, Duration timeout) {
        if (endpoints.deviceAuthorization() == null) {
            throw CliException.invalidInput("the issuer offers no device sign-in: pass --token (or DICOMFLOW_TOKEN) "
                    + "or --client-id/--client-secret");
        }
        ServerApi.Response authorization = api.postForm(endpoints.deviceAuthorization(),
                Map.of("client_id", DEVICE_CLIENT_ID), null, null);
        if (!authorization.ok()) {
            throw CliException.invalidInput("the issuer refused the device authorization request (HTTP "
                    + authorization.status() + oauthError(authorization.body()) + ")");
        }
        JsonNode body = authorization.body();
        String deviceCode = body.path("device_code").asString();
        String complete = body.path("verification_uri_complete").asString(null);
        err.println("To sign in, open " + body.path("verification_uri").asString() + " and enter the code "
                + body.path("user_code").asString() + (complete != null ? " (or open " + complete + ")" : ""));
        err.flush();
        long interval = Math.max(1, body.path("interval").asLong(5));
        long expiresIn = body.path("expires_in").asLong(timeout.toSeconds());
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.min(expiresIn, timeout.toSeconds())).toNanos();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", DEVICE_GRANT);
        form.put("device_code", deviceCode);
        form.put("client_id", DEVICE_CLIENT_ID);
        while (System.nanoTime() < deadline) {
            sleep(Duration.ofSeconds(interval));
            ServerApi.Response response = api.postForm(endpoints.token(), form, null, null);
            if (response.ok()) {
                return accessToken(response);
            }
            String error = response.body().path("error").asString("");
            switch (error) {
                case "authorization_pending" -> {
                }
                case "slow_down" -> interval += 5;
                case "access_denied" -> throw CliException.invalidInput("sign-in was denied");
                case "expired_token" -> throw CliException.invalidInput("the sign-in code expired; run the command again");
                default -> throw CliException.invalidInput("the issuer refused the device code (HTTP "
                        + response.status() + oauthError(response.body()) + ")");
            }
        }
        throw CliException.invalidInput("sign-in not completed in time; run the command again");
    }

    private static String accessToken(ServerApi.Response response) {
        String token = response.body().path("access_token").asString(null);
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.INVALID_INPUT, "the issuer's token response has no access_token");
        }
        return token;
    }

    private static String oauthError(JsonNode body) {
        String error = body.path("error").asString(null);
        return error == null ? "" : ": " + error;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.FAILURE, "interrupted");
        }
    }
}
