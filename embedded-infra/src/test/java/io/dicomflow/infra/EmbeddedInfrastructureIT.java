package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.mail.SimpleMailMessage;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class EmbeddedInfrastructureIT {

    static Infrastructure infra;
    static Map<String, Object> props;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        infra = Infrastructure.start(new InfraOptions(InfraOptions.Mode.EMBEDDED, null, false));
        System.out.printf("EMBEDDED ephemeral start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        infra.describe().forEach(line -> System.out.println("  " + line));
        props = infra.springProperties();
    }

    @AfterAll
    static void stop() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void exposesExactlyTheAgreedProperties() {
        assertThat(props).containsOnlyKeys(
                "spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
                "spring.rabbitmq.host", "spring.rabbitmq.port", "spring.rabbitmq.username",
                "spring.rabbitmq.password", "spring.rabbitmq.virtual-host", "dicomflow.amqp.broker",
                "dicomflow.storage.endpoint", "dicomflow.storage.access-key", "dicomflow.storage.secret-key",
                "dicomflow.storage.bucket", "dicomflow.storage.region", "dicomflow.storage.path-style",
                "dicomflow.storage.server-side-encryption",
                "spring.mail.host", "spring.mail.port", "spring.mail.username", "spring.mail.password",
                "spring.mail.properties.mail.smtp.auth", "dicomflow.mail.imap-port");
        assertThat(props).containsEntry("dicomflow.amqp.broker", "qpid")
                .containsEntry("dicomflow.storage.bucket", "dicomflow")
                .containsEntry("dicomflow.storage.region", "us-east-1")
                // S3Proxy would accept the header and store plain files: no claim of an encryption it does not do
                .containsEntry("dicomflow.storage.server-side-encryption", "none")
                .containsEntry("spring.rabbitmq.host", "127.0.0.1")
                .containsEntry("spring.mail.host", "127.0.0.1");
        assertThat(Clients.str(props, "spring.datasource.url")).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(Clients.str(props, "dicomflow.storage.endpoint")).startsWith("http://127.0.0.1:");
        assertThat(props.get("spring.rabbitmq.port")).isNotIn(5672, "5672");
        assertThat(infra.s3Bucket()).isEqualTo("dicomflow");
        assertThat(infra.describe()).hasSize(4).allSatisfy(line -> assertThat(line).contains("127.0.0.1"));
    }

    @Test
    void postgresAnswersQueries() throws Exception {
        try (Connection c = Clients.jdbc(props); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select current_setting('server_version_num')::int")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1) / 10000).isEqualTo(17);
            }
            s.execute("create table probe (id int primary key, name text)");
            s.execute("insert into probe values (1, 'dicom')");
            try (ResultSet rs = s.executeQuery("select name from probe where id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("dicom");
            }
        }
    }

    @Test
    void brokerConfirmsPersistentMessagesAndSurvivesAnOutage() throws Exception {
        CachingConnectionFactory cf = Clients.rabbit(props);
        try {
            RabbitAdmin admin = new RabbitAdmin(cf);
            // x-queue-type is unknown to Qpid: it must be ignored, not close the connection
            Queue queue = QueueBuilder.durable("probe." + UUID.randomUUID()).quorum().build();
            admin.declareQueue(queue);
            RabbitTemplate template = new RabbitTemplate(cf);
            template.setMandatory(true);

            publishConfirmed(template, queue.getName(), "before outage");
            assertThat(receive(template, queue.getName())).isEqualTo("before outage");

            long t0 = System.nanoTime();
            infra.stopBroker();
            System.out.printf("Qpid stop: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThatThrownBy(() -> template.convertAndSend("", queue.getName(), "while down"))
                    .isInstanceOf(AmqpConnectException.class);

            t0 = System.nanoTime();
            infra.startBroker();
            System.out.printf("Qpid restart on the same port: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            admin.declareQueue(queue); // the in-memory store forgot it, as after a RabbitMQ restart without durability
            publishConfirmed(template, queue.getName(), "after outage");
            assertThat(receive(template, queue.getName())).isEqualTo("after outage");
        } finally {
            cf.destroy();
        }
    }

    static void publishConfirmed(RabbitTemplate template, String queue, String body) throws Exception {
        Message message = MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT).build();
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        template.send("", queue, message, correlation);
        CorrelationData.Confirm confirm = correlation.getFuture().get(10, TimeUnit.SECONDS);
        assertThat(confirm.ack()).as("publisher confirm for %s", body).isTrue();
        assertThat(correlation.getReturned()).isNull();
    }

    static String receive(RabbitTemplate template, String queue) {
        Message m = template.receive(queue, Duration.ofSeconds(10).toMillis());
        assertThat(m).as("message on %s", queue).isNotNull();
        assertThat(m.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    @Test
    void s3KeepsObjectsAndTheirMetadata() {
        byte[] content = "DICM fake object".getBytes(StandardCharsets.UTF_8);
        String key = "tenant/studies/1.2.3/series/4.5/instances/" + UUID.randomUUID();
        try (S3Client s3 = Clients.s3(props)) {
            s3.putObject(b -> b.bucket(infra.s3Bucket()).key(key).contentType("application/dicom")
                    .metadata(Map.of("sha256", "abc123")), RequestBody.fromBytes(content));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(infra.s3Bucket()).key(key));
            assertThat(head.metadata()).containsEntry("sha256", "abc123");
            assertThat(head.contentLength()).isEqualTo(content.length);
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(infra.s3Bucket()).key(key));
            assertThat(got.asByteArray()).isEqualTo(content);
            assertThat(got.response().metadata()).containsEntry("sha256", "abc123");
        }
    }

    @Test
    void mailSentWithAuthenticationIsReceived() throws Exception {
        SimpleMailMessage mail = new SimpleMailMessage();
        mail.setFrom("dicomflow@localhost");
        mail.setTo("alice@example.org");
        mail.setSubject("Analysis ready " + UUID.randomUUID());
        mail.setText("Your analysis is done.");
        Clients.mail(props).send(mail);

        assertThat(infra.mail().waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage[] received = infra.mail().getReceivedMessages();
        assertThat(received).anySatisfy(m -> {
            assertThat(m.getSubject()).isEqualTo(mail.getSubject());
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("alice@example.org");
        });
    }
}
