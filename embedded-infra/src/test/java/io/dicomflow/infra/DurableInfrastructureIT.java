package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Standalone (durable) mode: what was written before a restart on the same data directory is still there. */
class DurableInfrastructureIT {

    static final String QUEUE = "durable.probe";
    static final String KEY = "tenant/studies/1/series/2/instances/3";

    @Test
    void restartOnTheSameDataDirKeepsRowObjectAndQueuedMessage(@TempDir Path dir) throws Exception {
        String accessKey;
        List<Integer> ports;
        long t0 = System.nanoTime();
        try (Infrastructure infra = Infrastructure.start(InfraOptions.standalone(dir))) {
            System.out.printf("EMBEDDED durable first start (initdb): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Map<String, Object> p = infra.springProperties();
            accessKey = Clients.str(p, "dicomflow.storage.access-key");
            ports = ports(p);
            try (Connection c = Clients.jdbc(p); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select current_setting('fsync'), current_setting('synchronous_commit')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("on");
                    assertThat(rs.getString(2)).isEqualTo("on");
                }
            }
            writeRow(p);
            writeObjectAndMessage(p);
        }
        for (int port : ports) {
            assertThat(FreePorts.isListening(FreePorts.HOST, port, Duration.ofMillis(300)))
                    .as("port %d closed after close()", port).isFalse();
        }
        assertThat(dir.resolve("postgres")).isDirectory();
        assertThat(dir.resolve("qpid")).isDirectory();
        assertThat(dir.resolve("s3/blobs/dicomflow")).isDirectory();
        assertThat(Path.of("derby.log")).as("Derby does not log into the current directory").doesNotExist();

        t0 = System.nanoTime();
        try (Infrastructure infra = Infrastructure.start(InfraOptions.standalone(dir))) {
            System.out.printf("EMBEDDED durable restart on existing data: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            Map<String, Object> p = infra.springProperties();
            assertThat(p.get("dicomflow.storage.access-key")).as("S3 keys are kept").isEqualTo(accessKey);
            assertKept(p);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its postmaster running on the data directory; the next start must stop it
     * (first attempt fails on postmaster.pid, the retry succeeds) and find the data.
     */
    @Test
    void startsAfterTheOwningJvmWasKilled(@TempDir Path dir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DurableChild.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean ready = false;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(DurableChild.READY)) {
                    ready = true;
                    break;
                }
            }
            assertThat(ready).as("child JVM wrote its data").isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, the postmaster is orphaned
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        long t0 = System.nanoTime();
        try (Infrastructure infra = Infrastructure.start(InfraOptions.standalone(dir))) {
            System.out.printf("EMBEDDED durable start after kill -9: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertKept(infra.springProperties());
        }
    }

    static void writeRow(Map<String, Object> p) throws Exception {
        try (Connection c = Clients.jdbc(p); Statement s = c.createStatement()) {
            s.execute("create table kept (id int primary key, note text)");
            s.execute("insert into kept values (1, 'survives restarts')");
        }
    }

    static void writeObjectAndMessage(Map<String, Object> p) throws Exception {
        try (S3Client s3 = Clients.s3(p)) {
            s3.putObject(b -> b.bucket("dicomflow").key(KEY).metadata(Map.of("sha256", "feed")),
                    RequestBody.fromString("object body"));
        }
        CachingConnectionFactory cf = Clients.rabbit(p);
        try {
            Queue queue = QueueBuilder.durable(QUEUE).build();
            new RabbitAdmin(cf).declareQueue(queue);
            EmbeddedInfrastructureIT.publishConfirmed(new RabbitTemplate(cf), QUEUE, "queued before restart");
        } finally {
            cf.destroy();
        }
    }

    static void assertKept(Map<String, Object> p) throws Exception {
        try (Connection c = Clients.jdbc(p); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select note from kept where id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives restarts");
        }
        try (S3Client s3 = Clients.s3(p)) {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("dicomflow").key(KEY));
            assertThat(got.asUtf8String()).isEqualTo("object body");
            assertThat(got.response().metadata()).containsEntry("sha256", "feed");
        }
        CachingConnectionFactory cf = Clients.rabbit(p);
        try {
            // no re-declaration: the durable queue itself must have survived
            assertThat(EmbeddedInfrastructureIT.receive(new RabbitTemplate(cf), QUEUE)).isEqualTo("queued before restart");
        } finally {
            cf.destroy();
        }
    }

    static List<Integer> ports(Map<String, Object> p) {
        String url = Clients.str(p, "spring.datasource.url");
        int pg = Integer.parseInt(url.replaceAll("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));
        int s3 = Integer.parseInt(Clients.str(p, "dicomflow.storage.endpoint").replaceAll("^.*:(\\d+)$", "$1"));
        return List.of(pg, Integer.parseInt(Clients.str(p, "spring.rabbitmq.port")), s3,
                Integer.parseInt(Clients.str(p, "spring.mail.port")), Integer.parseInt(Clients.str(p, "dicomflow.mail.imap-port")));
    }
}
