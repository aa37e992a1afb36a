package io.dicomflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.dicomflow.infra.qpidstore.PreparedRemovalDerbyMessageStore;
import io.dicomflow.infra.qpidstore.PreparedRemovalDerbyVirtualHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.server.store.derby.DerbyMessageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded broker's durable store (issue 10): dicomflow's Derby store type is the one that runs, deletes consumed
 * messages through its prepared statement (so Derby compiles no statement per batch), and loses nothing across a
 * {@code kill -9}, whichever of the two Derby types wrote the data directory.
 */
class DerbyStoreIT {

    private static final String QUEUE = "store.probe";

    @Test
    void consumedMessagesAreDeletedThroughThePreparedStatement(@TempDir Path dir) throws Exception {
        QpidBroker broker = QpidBroker.start(dir, true);
        try {
            assertThat(broker.messageStore()).isInstanceOf(PreparedRemovalDerbyMessageStore.class);
            assertThat(storedType(dir)).isEqualTo(PreparedRemovalDerbyVirtualHost.TYPE);
            int n = 300;
            try (Connection connection = connect(broker); Channel publisher = connection.createChannel();
                    Channel consumer = connection.createChannel()) {
                publisher.queueDeclare(QUEUE, true, false, false, null);
                publisher.confirmSelect();
                for (int i = 0; i < n; i++) {
                    publisher.basicPublish("", QUEUE, MessageProperties.PERSISTENT_TEXT_PLAIN,
                            body(i).getBytes(StandardCharsets.UTF_8));
                }
                publisher.waitForConfirmsOrDie(30_000);
                assertThat(storedMessages(dir)).as("persistent messages are in the store").isEqualTo(n);
                for (int i = 0; i < n; i++) {
                    GetResponse r = consumer.basicGet(QUEUE, false);
                    assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo(body(i));
                    consumer.basicAck(r.getEnvelope().getDeliveryTag(), false);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (storedMessages(dir) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(storedMessages(dir)).as("consumed messages are deleted from the store").isZero();
            assertThat(contentRows(dir)).as("with their content").isZero();

            List<String> cached = statementCache(dir);
            assertThat(cached).as("Derby ran the prepared delete")
                    .anyMatch(sql -> sql.equals("DELETE FROM QPID_MESSAGE_METADATA WHERE message_id = ?"))
                    .anyMatch(sql -> sql.equals("DELETE FROM QPID_MESSAGE_CONTENT WHERE message_id = ?"));
            assertThat(cached).as("and never compiled Qpid's literal IN-list delete")
                    .noneMatch(sql -> sql.toUpperCase().startsWith("DELETE") && sql.contains(" IN "));
            assertThat(((PreparedRemovalDerbyMessageStore) broker.messageStore()).idleConnections())
                    .as("connections are kept for reuse").isPositive();
        } finally {
            broker.close();
        }
    }

    /**
     * A child JVM writes persistent messages with the given store type, acknowledges some in a committed transaction,
     * and is killed with SIGKILL; the broker started here on the same directory (dicomflow's type; a directory written
     * by Qpid's {@code DERBY} type is switched over) delivers exactly the unacknowledged ones, in order. Switching back
     * to Qpid's type afterwards opens the same store again.
     */
    @ParameterizedTest
    @ValueSource(strings = {"qpid", "prepared"})
    void persistentMessagesSurviveAKillWhicheverDerbyTypeWroteThem(String childStore, @TempDir Path dir) throws Exception {
        String childStoreClass = runChildUntilKilled(dir, childStore);
        assertThat(childStoreClass).isEqualTo(childStore.equals("qpid")
                ? DerbyMessageStore.class.getName() : PreparedRemovalDerbyMessageStore.class.getName());

        QpidBroker broker = QpidBroker.start(dir, true);
        try {
            assertThat(broker.messageStore()).isInstanceOf(PreparedRemovalDerbyMessageStore.class);
            assertThat(storedType(dir)).isEqualTo(PreparedRemovalDerbyVirtualHost.TYPE);
            try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                List<String> received = drain(channel, DerbyStoreChild.QUEUE, 5); // acknowledges the first 5 only
                List<String> expected = new ArrayList<>();
                for (int i = DerbyStoreChild.ACKED; i < DerbyStoreChild.PUBLISHED; i++) {
                    expected.add(body(i));
                }
                assertThat(received).isEqualTo(expected);
            }
        } finally {
            broker.close();
        }

        String previous = System.getProperty(QpidBroker.DERBY_STORE_PROPERTY);
        System.setProperty(QpidBroker.DERBY_STORE_PROPERTY, "qpid");
        try {
            broker = QpidBroker.start(dir, true);
            try {
                assertThat(broker.messageStore()).isExactlyInstanceOf(DerbyMessageStore.class);
                assertThat(storedType(dir)).isEqualTo("DERBY");
                try (Connection connection = connect(broker); Channel channel = connection.createChannel()) {
                    assertThat(drain(channel, DerbyStoreChild.QUEUE, Integer.MAX_VALUE)).as("the unacknowledged rest")
                            .hasSize(DerbyStoreChild.PUBLISHED - DerbyStoreChild.ACKED - 5)
                            .startsWith(body(DerbyStoreChild.ACKED + 5));
                }
            } finally {
                broker.close();
            }
        } finally {
            if (previous == null) {
                System.clearProperty(QpidBroker.DERBY_STORE_PROPERTY);
            } else {
                System.setProperty(QpidBroker.DERBY_STORE_PROPERTY, previous);
            }
        }
    }

    private static String runChildUntilKilled(Path dir, String store) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + QpidBroker.DERBY_STORE_PROPERTY + "=" + store,
                "-cp", System.getProperty("java.class.path"), DerbyStoreChild.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(DerbyStoreChild.READY)) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean Derby shutdown
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    return line.substring(DerbyStoreChild.READY.length()).trim();
                }
            }
            throw new AssertionError("child JVM ended before writing its messages");
        } finally {
            child.destroyForcibly();
        }
    }

    /** Gets every message in order, acknowledging (in one committed transaction) only the first {@code ack}. */
    private static List<String> drain(Channel channel, String queue, int ack) throws Exception {
        channel.txSelect();
        List<String> bodies = new ArrayList<>();
        GetResponse r;
        while ((r = channel.basicGet(queue, false)) != null) {
            bodies.add(new String(r.getBody(), StandardCharsets.UTF_8));
            if (bodies.size() <= ack) {
                channel.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
        }
        channel.txCommit();
        return bodies;
    }

    static String body(int i) {
        return "{\"n\":" + i + "}";
    }

    static Connection connect(QpidBroker broker) throws Exception {
        ConnectionFactory cf = new ConnectionFactory();
        cf.setHost(FreePorts.HOST);
        cf.setPort(broker.port());
        cf.setUsername(QpidBroker.USER);
        cf.setPassword(QpidBroker.PASSWORD);
        cf.setVirtualHost(QpidBroker.VIRTUAL_HOST);
        return cf.newConnection();
    }

    private static String storedType(Path dir) throws Exception {
        String json = Files.readString(DerbyVirtualHostTypeMigration.nodeStore(dir.resolve("qpid"), QpidBroker.VIRTUAL_HOST));
        return json.replaceAll("(?s)^\\{\\s*\"id\"[^,]*,\\s*\"type\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
    }

    /** The broker's Derby database, opened a second time in this JVM (embedded Derby allows it). */
    private static java.sql.Connection derby(Path dir) throws Exception {
        return DriverManager.getConnection("jdbc:derby:" + dir.resolve("qpid/default/messages/default"));
    }

    private static int storedMessages(Path dir) throws Exception {
        return count(dir, "SELECT COUNT(*) FROM QPID_MESSAGE_METADATA");
    }

    private static int contentRows(Path dir) throws Exception {
        return count(dir, "SELECT COUNT(*) FROM QPID_MESSAGE_CONTENT");
    }

    private static int count(Path dir, String sql) throws Exception {
        try (java.sql.Connection c = derby(dir); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> statementCache(Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        try (java.sql.Connection c = derby(dir); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT SQL_TEXT FROM SYSCS_DIAG.STATEMENT_CACHE")) {
            while (rs.next()) {
                texts.add(rs.getString(1).trim());
            }
        }
        return texts;
    }
}
