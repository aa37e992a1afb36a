package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** LOCAL mode against PostgreSQL and RabbitMQ on 127.0.0.1; skipped when they do not answer. */
class LocalInfrastructureIT {

    @BeforeAll
    static void requireLocalServers() {
        boolean pg = FreePorts.isListening("127.0.0.1", 5432, Duration.ofSeconds(1));
        boolean mq = FreePorts.isListening("127.0.0.1", 5672, Duration.ofSeconds(1));
        String reason = "LOCAL mode test needs PostgreSQL on 127.0.0.1:5432 (" + (pg ? "answers" : "no answer")
                + ") and RabbitMQ on 127.0.0.1:5672 (" + (mq ? "answers" : "no answer") + ")";
        if (!(pg && mq)) {
            System.out.println("SKIPPED: " + reason);
        }
        assumeTrue(pg && mq, reason);
    }

    @Test
    void usesAFreshDatabaseAndVirtualHostAndRemovesThemOnClose() throws Exception {
        long t0 = System.nanoTime();
        Infrastructure infra = Infrastructure.start(new InfraOptions(InfraOptions.Mode.LOCAL, null, false));
        String database;
        String vhost;
        try {
            System.out.printf("LOCAL start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            infra.describe().forEach(line -> System.out.println("  " + line));
            Map<String, Object> p = infra.springProperties();
            assertThat(p).containsEntry("dicomflow.amqp.broker", "rabbitmq").containsEntry("spring.rabbitmq.port", 5672)
                    .containsEntry("spring.datasource.username", "postgres");
            assertThat(Clients.str(p, "spring.datasource.url")).matches("jdbc:postgresql://127\\.0\\.0\\.1:5432/dicomflow_[0-9a-f]{12}");
            vhost = Clients.str(p, "spring.rabbitmq.virtual-host");
            if (rabbitmqctlWorks()) {
                assertThat(vhost).matches("dicomflow_[0-9a-f]{12}");
            } else {
                assertThat(vhost).isEqualTo("/");
            }
            assertThat(infra.describe().get(2)).contains("embedded S3Proxy");
            assertThat(infra.describe().get(3)).contains("embedded GreenMail");

            try (Connection c = Clients.jdbc(p); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select current_database()")) {
                rs.next();
                database = rs.getString(1);
                assertThat(p.get("spring.datasource.url").toString()).endsWith("/" + database);
            }

            CachingConnectionFactory cf = Clients.rabbit(p);
            try {
                Queue queue = QueueBuilder.durable("probe." + UUID.randomUUID()).quorum().build();
                new RabbitAdmin(cf).declareQueue(queue);
                RabbitTemplate template = new RabbitTemplate(cf);
                template.setMandatory(true);
                EmbeddedInfrastructureIT.publishConfirmed(template, queue.getName(), "via local RabbitMQ");
                assertThat(EmbeddedInfrastructureIT.receive(template, queue.getName())).isEqualTo("via local RabbitMQ");
                new RabbitAdmin(cf).deleteQueue(queue.getName());
            } finally {
                cf.destroy();
            }

            assertThatThrownBy(infra::stopBroker).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(infra::startBroker).isInstanceOf(IllegalStateException.class);
        } finally {
            infra.close();
        }

        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                PreparedStatement ps = admin.prepareStatement("select count(*) from pg_database where datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("database %s dropped", database).isZero();
            }
        }
        if (!"/".equals(vhost)) {
            assertThat(listVhosts()).as("vhost %s deleted", vhost).doesNotContain(vhost);
        }
    }

    static boolean rabbitmqctlWorks() {
        try {
            listVhosts();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String listVhosts() throws IOException {
        Process p = new ProcessBuilder("rabbitmqctl", "-q", "list_vhosts").redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("rabbitmqctl list_vhosts failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
