package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class InfrastructureLifecycleIT {

    @Test
    void ephemeralRunLivesInItsOwnDirectoryAndCloseReleasesEverything(@TempDir Path base) throws Exception {
        Infrastructure infra = Infrastructure.start(new InfraOptions(InfraOptions.Mode.EMBEDDED, base, false));
        List<Integer> ports = DurableInfrastructureIT.ports(infra.springProperties());
        try (Stream<Path> runs = Files.list(base)) {
            assertThat(runs.toList()).singleElement().satisfies(run -> assertThat(run.getFileName().toString()).startsWith("run-"));
        }
        for (int port : ports) {
            assertThat(port).isNotIn(5432, 5672, 25, 143, 8080, 9000);
            assertThat(FreePorts.isListening(FreePorts.HOST, port, Duration.ofSeconds(1))).as("port %d", port).isTrue();
        }

        infra.close();
        infra.close(); // idempotent

        for (int port : ports) {
            assertThat(FreePorts.isListening(FreePorts.HOST, port, Duration.ofMillis(300))).as("port %d", port).isFalse();
        }
        try (Stream<Path> runs = Files.list(base)) {
            assertThat(runs.toList()).as("ephemeral data deleted").isEmpty();
        }
    }

    @Test
    void optionsValidateAndFollowTheInfraProperty() {
        assertThatThrownBy(() -> new InfraOptions(InfraOptions.Mode.EMBEDDED, null, true))
                .isInstanceOf(IllegalArgumentException.class);
        String old = System.getProperty("infra");
        try {
            System.setProperty("infra", "local");
            assertThat(InfraOptions.forTests()).isEqualTo(new InfraOptions(InfraOptions.Mode.LOCAL, null, false));
            System.setProperty("infra", "embedded");
            assertThat(InfraOptions.forTests().mode()).isEqualTo(InfraOptions.Mode.EMBEDDED);
            System.clearProperty("infra");
            assertThat(InfraOptions.forTests().mode()).isEqualTo(InfraOptions.Mode.EMBEDDED);
        } finally {
            if (old == null) {
                System.clearProperty("infra");
            } else {
                System.setProperty("infra", old);
            }
        }
        assertThat(InfraOptions.standalone(Path.of("data"))).isEqualTo(new InfraOptions(InfraOptions.Mode.EMBEDDED, Path.of("data"), true));
    }

    /** No logback configuration on this test classpath: logback's fallback is DEBUG, yet the servers stay at INFO. */
    @Test
    void serverLibrariesDoNotLogAtDebugWhenLoggingIsUnconfigured() {
        QuietLogging.apply();
        for (String name : List.of("org.gaul.shaded.org.eclipse.jetty.server.Server", "org.gaul.s3proxy.S3ProxyHandler",
                "org.apache.qpid.server.SystemLauncher", "qpid.message.connection.open", "io.zonky.test.db.postgres",
                "com.icegreen.greenmail.smtp")) {
            assertThat(LoggerFactory.getLogger(name).isDebugEnabled()).as(name).isFalse();
        }
    }
}
