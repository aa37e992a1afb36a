package io.dicomflow.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client secret goes only to the issuer pinned for the server (issue 12): real HTTP servers on
 * loopback play the portal, the trusted issuer and an issuer the portal's {@code /api/config} names later.
 */
class IssuerPinTest {

    private static final String SECRET = "alice-demo-secret";

    @TempDir
    Path temp;

    private Path pins;
    private Path folder;
    private FakeIssuer trusted;
    private FakeIssuer other;
    private HttpServer portal;
    private volatile String advertisedIssuer;

    @BeforeEach
    void start() throws IOException {
        pins = temp.resolve("config/issuers.properties");
        folder = Files.createDirectories(temp.resolve("study"));
        Corpus.copy("seed", "sample-01-dicom.dcm", folder);
        trusted = new FakeIssuer();
        other = new FakeIssuer();
        portal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        portal.createContext("/api/config", exchange -> reply(exchange, 200, "{\"issuer\": \"" + advertisedIssuer + "\"}"));
        portal.createContext("/api/uploads", exchange -> {
            exchange.getRequestBody().readAllBytes();
            reply(exchange, 202, "{\"uploadId\": \"u-1\", \"files\": [{\"name\": \"sample-01-dicom.dcm\", "
                    + "\"outcome\": \"ACCEPTED\", \"fileId\": \"f-1\", \"sopInstanceUid\": \"1.2.3\"}]}");
        });
        portal.start();
    }

    @AfterEach
    void stop() {
        portal.stop(0);
        trusted.server.stop(0);
        other.server.stop(0);
    }

    private String portalUrl() {
        return "http://127.0.0.1:" + portal.getAddress().getPort();
    }

    private CliRun upload(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("upload", folder.toString(), "--server", portalUrl(),
                "--client-id", "alice", "--client-secret", SECRET, "--issuer-pins", pins.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void firstUsePinsTheIssuerAndAChangedIssuerIsRefusedBeforeAnySecretIsSent() throws IOException {
        advertisedIssuer = trusted.url();

        CliRun first = upload();

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("pinned token issuer " + trusted.url());
        assertThat(trusted.authorizations).hasSize(1).first().asString().startsWith("Basic ");
        assertThat(Files.readString(pins)).contains(trusted.url().replace(":", "\\:"));

        // the portal now names another issuer: refused, one line, the other issuer hears nothing
        advertisedIssuer = other.url();
        CliRun second = upload();

        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.err().lines()).hasSize(1).first().asString()
                .startsWith("dicomflow upload: server http://127.0.0.1:" + portal.getAddress().getPort()
                        + " now names token issuer " + other.url() + ", but " + trusted.url() + " is pinned for it");
        assertThat(other.requests).isEmpty();
        assertThat(second.out() + second.err()).doesNotContain(SECRET);

        // the user accepts the change explicitly: the new issuer is used and pinned
        CliRun accepted = upload("--issuer", other.url());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        assertThat(other.authorizations).hasSize(1);
        assertThat(upload().exitCode()).isZero();
        assertThat(other.authorizations).hasSize(2);
        assertThat(trusted.authorizations).hasSize(1);
    }

    @Test
    void anExplicitIssuerTheServerContradictsIsRefused() {
        advertisedIssuer = other.url();

        CliRun run = upload("--issuer", trusted.url());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("dicomflow upload: server http://127.0.0.1:"
                + portal.getAddress().getPort() + " names token issuer " + other.url() + ", not the given --issuer "
                + trusted.url() + "; refusing to send credentials");
        assertThat(trusted.requests).isEmpty();
        assertThat(other.requests).isEmpty();
    }

    @Test
    void plainHttpOffThisMachineIsRefusedWithoutContactingIt() {
        advertisedIssuer = "http://issuer.example.invalid";

        CliRun run = upload();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("dicomflow upload: refusing token issuer "
                + "http://issuer.example.invalid: credentials are sent only over https (plain http only to this machine)");
        assertThat(pins).doesNotExist();
    }

    @Test
    void metadataPointingTheTokenEndpointElsewhereIsRefused() {
        trusted.tokenEndpoint = "http://evil.example.invalid/oauth2/token";
        advertisedIssuer = trusted.url();

        CliRun run = upload();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("refusing token issuer http://evil.example.invalid/oauth2/token");
        assertThat(trusted.authorizations).isEmpty();
    }

    @Test
    void aGivenTokenNeedsNoIssuerAndPinsNothing() {
        advertisedIssuer = "http://issuer.example.invalid";

        CliRun run = CliRun.of("upload", folder.toString(), "--server", portalUrl(), "--token", "t",
                "--issuer-pins", pins.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(pins).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://login.example.org", "https://10.0.0.1:8443/realms/x", "http://127.0.0.1:9000",
            "http://127.7.0.1", "http://localhost:8080", "http://[::1]:8080"})
    void httpsOrLoopbackIsAllowed(String url) {
        IssuerPin.requireSecureTransport(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://login.example.org", "http://10.0.0.1:8080", "http://192.168.1.5",
            "http://localhost.example.org", "http://127.0.0.1.nip.io", "ftp://127.0.0.1", "http://[::2]:80"})
    void plainHttpOffLoopbackIsRefused(String url) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IssuerPin.requireSecureTransport(url))
                .hasMessageContaining("refusing token issuer " + url);
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** An authorization server that records every request and the Authorization header of token requests. */
    private static final class FakeIssuer {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        volatile String tokenEndpoint;

        FakeIssuer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                exchange.getRequestBody().readAllBytes();
                switch (exchange.getRequestURI().getPath()) {
                    case "/.well-known/oauth-authorization-server" -> reply(exchange, 200, "{\"issuer\": \"" + url()
                            + "\", \"token_endpoint\": \""
                            + (tokenEndpoint != null ? tokenEndpoint : url() + "/oauth2/token") + "\"}");
                    case "/oauth2/token" -> {
                        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                        reply(exchange, 200, "{\"access_token\": \"token-" + server.getAddress().getPort() + "\"}");
                    }
                    default -> reply(exchange, 404, "{}");
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }
    }
}
