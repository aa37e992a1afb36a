package io.dicomflow.infra.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertPathBuilderException;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The AMQP-over-TLS settings docs/security.md gives ({@code spring.rabbitmq.ssl.enabled}, the port, a PEM SSL bundle
 * with the CA, host-name verification left on), bound by Spring Boot's own auto-configuration as in every service,
 * against an embedded Qpid Broker-J with an AMQPS port whose certificate comes from a test CA.
 *
 * <p>The certificate names {@code dns:localhost} only: through {@code 127.0.0.1} the chain is fine but the host name
 * is not, so the host-name check is seen to work.
 */
class AmqpTlsIT {

    @TempDir
    static Path dir;
    static SystemLauncher broker;
    static int amqpsPort;
    static Path caPem;
    static Path otherCaPem;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.newAuthority("dicomflow test broker CA");
        caPem = ca.writeCaPem(dir.resolve("amqp-ca.pem"));
        otherCaPem = TestCertificates.newAuthority("unrelated CA").writeCaPem(dir.resolve("other-ca.pem"));
        Path keyStore = ca.issueServer("localhost", List.of("dns:localhost")).writePkcs12(dir.resolve("broker.p12"));
        amqpsPort = freePort();
        broker = startQpid(keyStore, amqpsPort);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.shutdown();
        }
    }

    /** What a service's environment holds, as Spring properties (SPRING_RABBITMQ_SSL_ENABLED=true, ...). */
    static ApplicationContextRunner service(String host, Path trustedCa, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.rabbitmq.host=" + host,
                "spring.rabbitmq.port=" + amqpsPort, // DICOMFLOW_AMQP_PORT
                "spring.rabbitmq.username=guest",
                "spring.rabbitmq.password=guest",
                "spring.rabbitmq.virtual-host=default",
                "spring.rabbitmq.publisher-confirm-type=correlated",
                "spring.rabbitmq.ssl.enabled=true",
                "spring.rabbitmq.ssl.bundle=amqp",
                // a plain file path, exactly as the docs write it
                "spring.ssl.bundle.pem.amqp.truststore.certificate=" + trustedCa));
        properties.addAll(List.of(more));
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, RabbitAutoConfiguration.class))
                .withPropertyValues(properties.toArray(String[]::new));
    }

    @Test
    void publishesWithConfirmAndConsumesOverTls() {
        service("localhost", caPem).run(context -> {
            assertThat(context).hasNotFailed();
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            String queue = "tls-" + UUID.randomUUID();
            context.getBean(AmqpAdmin.class).declareQueue(new Queue(queue, false, false, true));
            CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
            template.send("", queue,
                    MessageBuilder.withBody("over TLS".getBytes(StandardCharsets.UTF_8)).build(), correlation);
            assertThat(correlation.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
            var received = template.receive(queue, 10_000);
            assertThat(received).isNotNull();
            assertThat(new String(received.getBody(), StandardCharsets.UTF_8)).isEqualTo("over TLS");
        });
    }

    @Test
    void aBrokerCertificateFromAnotherCaIsRefused() {
        service("localhost", otherCaPem).run(context -> {
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            assertThatThrownBy(() -> template.execute(channel -> channel.queueDeclarePassive("absent")))
                    .isInstanceOf(AmqpIOException.class)
                    .hasCauseInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertPathBuilderException.class); // no path to a trusted CA
        });
    }

    @Test
    void hostNameVerificationIsOnByDefaultAndRefusesANameTheCertificateDoesNotName() {
        service("127.0.0.1", caPem).run(context -> {
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            assertThatThrownBy(() -> template.execute(channel -> channel.getChannelNumber()))
                    .isInstanceOf(AmqpIOException.class)
                    .cause().isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("subject alternative names matching IP address 127.0.0.1");
        });
        // same chain without the host-name check: connects, so the refusal above is the host name and nothing else
        service("127.0.0.1", caPem, "spring.rabbitmq.ssl.verify-hostname=false").run(context -> {
            Integer channel = context.getBean(RabbitTemplate.class).execute(c -> c.getChannelNumber());
            assertThat(channel).isPositive();
        });
    }

    /** A Qpid Broker-J with one AMQP 0-9-1 port, TLS only, in memory. */
    static SystemLauncher startQpid(Path keyStore, int port) throws Exception {
        Path work = Files.createDirectories(dir.resolve("qpid"));
        Path initialConfig = Files.writeString(work.resolve("initial-config.json"), """
                {
                  "name": "dicomflow-tls-test",
                  "modelVersion": "9.1",
                  "authenticationproviders": [{
                    "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                    "users": [{"name": "guest", "password": "guest", "type": "managed"}]
                  }],
                  "keystores": [{
                    "name": "brokerKeyStore", "type": "FileKeyStore", "storeUrl": "%s",
                    "password": "%s", "keyStoreType": "PKCS12"
                  }],
                  "ports": [{
                    "name": "AMQPS", "port": "%d", "bindingAddress": "127.0.0.1",
                    "transports": ["SSL"], "keyStore": "brokerKeyStore",
                    "protocols": ["AMQP_0_9_1"], "authenticationProvider": "plain",
                    "virtualhostaliases": [
                      {"name": "nameAlias", "type": "nameAlias"},
                      {"name": "defaultAlias", "type": "defaultAlias"}
                    ]
                  }],
                  "virtualhostnodes": [{"name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
                    "virtualHostInitialConfiguration": "{\\"type\\":\\"Memory\\"}"}]
                }
                """.formatted(keyStore.toUri(), TestCertificates.STORE_PASSWORD, port));
        Path systemProperties = Files.writeString(work.resolve("system.properties"), "# none\n");
        AtomicReference<RuntimeException> error = new AtomicReference<>();
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void errorOnStartup(RuntimeException e) {
                error.set(e);
            }
        });
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("qpid.work_dir", work.toString());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation", initialConfig.toUri().toString());
        attributes.put("initialSystemPropertiesLocation", systemProperties.toUri().toString());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);
        launcher.startup(attributes);
        if (error.get() != null || !listening(port)) {
            launcher.shutdown();
            throw new IllegalStateException("Qpid with an AMQPS port did not start", error.get());
        }
        return launcher;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    static boolean listening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }
}
