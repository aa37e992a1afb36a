package io.dicomflow.infra.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The database setting docs/security.md gives for TLS ({@code DICOMFLOW_DB_URL=...?sslmode=verify-full&sslrootcert=
 * <ca.pem>}) against an embedded PostgreSQL 17 serving a certificate from a test CA.
 *
 * <p>The server certificate names {@code dns:localhost} only, so that one case can fail on the host name alone:
 * through {@code 127.0.0.1} the chain is fine ({@code verify-ca} connects) but {@code verify-full} must refuse.
 */
class PostgresTlsIT {

    @TempDir
    static Path dir;
    static EmbeddedPostgres postgres;
    static Path caPem;
    static Path otherCaPem;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("dicomflow test database CA");
        TestCertificates.Server server = ca.issueServer("localhost", List.of("dns:localhost"));
        caPem = ca.writeCaPem(dir.resolve("db-ca.pem"));
        otherCaPem = TestCertificates.newAuthority("unrelated CA").writeCaPem(dir.resolve("other-ca.pem"));
        Path certFile = server.writeCertificatePem(dir.resolve("server.crt"));
        Path keyFile = server.writePrivateKeyPem(dir.resolve("server.key"));
        postgres = EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", certFile.toString())
                .setServerConfig("ssl_key_file", keyFile.toString())
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The documented URL form, with the test's host, port and CA file. */
    static String url(String host, String sslmode, Path rootCert) {
        return "jdbc:postgresql://" + host + ":" + postgres.getPort() + "/postgres?sslmode=" + sslmode
                + "&sslrootcert=" + rootCert;
    }

    static boolean sessionUsesTls(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("select ssl, version from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("version")).startsWith("TLSv1.");
            return rs.getBoolean("ssl");
        }
    }

    @Test
    void verifyFullConnectsOverTlsWhenTheChainAndHostNameMatch() throws Exception {
        try (Connection connection = DriverManager.getConnection(url("localhost", "verify-full", caPem), "postgres",
                "postgres")) {
            assertThat(sessionUsesTls(connection)).isTrue();
        }
    }

    @Test
    void aServiceDataSourceBuiltFromTheDocumentedUrlTalksTls() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                // what DICOMFLOW_DB_URL becomes in every service's yml (spring.datasource.url: ${DICOMFLOW_DB_URL})
                .withPropertyValues("spring.datasource.url=" + url("localhost", "verify-full", caPem),
                        "spring.datasource.username=postgres", "spring.datasource.password=postgres")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                        assertThat(sessionUsesTls(connection)).isTrue();
                    }
                });
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() {
        assertThatThrownBy(() -> DriverManager.getConnection(url("localhost", "verify-full", otherCaPem), "postgres",
                "postgres").close())
                .isInstanceOf(SQLException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void verifyFullRefusesAHostNameTheCertificateDoesNotName() throws Exception {
        assertThatThrownBy(() -> DriverManager.getConnection(url("127.0.0.1", "verify-full", caPem), "postgres",
                "postgres").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("hostname");
        // same chain, no host-name check: connects, so the refusal above is the host name and nothing else
        try (Connection connection = DriverManager.getConnection(url("127.0.0.1", "verify-ca", caPem), "postgres",
                "postgres")) {
            assertThat(sessionUsesTls(connection)).isTrue();
        }
    }
}
