package io.dicomflow.infra;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Cost of the embedded broker's durable store per message (issue 10): starts {@link QpidBroker} alone in durable mode,
 * publishes N persistent messages with publisher confirms to a durable queue, consumes them with acks, and prints the
 * process CPU per message. Named *Bench so no build runs it; run it by hand:
 *
 * <pre>
 * ./mvnw -B -q -pl embedded-infra -am test-compile
 * ./mvnw -B -q -pl embedded-infra dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp "$(cat embedded-infra/target/bench.cp):embedded-infra/target/classes:embedded-infra/target/test-classes" \
 *      [-XX:StartFlightRecording=filename=store.jfr,settings=profile] io.dicomflow.infra.BrokerStoreCostBench [N]
 * </pre>
 *
 * A warm-up round of the same size runs first so JIT compilation of the broker is not counted.
 */
public final class BrokerStoreCostBench {

    private static final String QUEUE = "bench.store";

    private BrokerStoreCostBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        Path dataDir = Files.createTempDirectory("broker-store-bench");
        quietBrokerLogging();
        QpidBroker broker = QpidBroker.start(dataDir, true);
        try {
            ConnectionFactory cf = new ConnectionFactory();
            cf.setHost(FreePorts.HOST);
            cf.setPort(broker.port());
            cf.setUsername(QpidBroker.USER);
            cf.setPassword(QpidBroker.PASSWORD);
            cf.setVirtualHost(QpidBroker.VIRTUAL_HOST);
            try (Connection connection = cf.newConnection()) {
                round(connection, n); // warm-up
                long cpu = processCpuNanos();
                long wall = System.nanoTime();
                round(connection, n);
                cpu = processCpuNanos() - cpu;
                wall = System.nanoTime() - wall;
                System.out.printf("embedded broker store (%s, %s): N=%d persistent messages, publish+confirm+consume+ack:"
                        + " %.3f CPU ms/message, %.3f wall ms/message%n", broker.describe(),
                        broker.messageStore().getClass().getName(), n,
                        cpu / 1e6 / n, wall / 1e6 / n);
            }
        } finally {
            broker.close();
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Qpid logs every subscription at INFO, which {@code basicGet} creates per message; the product runs Qpid's
     * loggers at WARN (standalone's logging configuration), so the bench does too and measures the store, not logging.
     */
    private static void quietBrokerLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger("qpid").setLevel(Level.WARN);
            context.getLogger("org.apache.qpid").setLevel(Level.WARN);
        }
    }

    /** One publisher with confirms and one consumer with acks, as the services use the broker. */
    private static void round(Connection connection, int n) throws Exception {
        byte[] body = "{\"instanceUid\":\"1.2.826.0.1.3680043.8.498.1\",\"sizeBytes\":524288}"
                .getBytes(StandardCharsets.UTF_8);
        try (Channel publisher = connection.createChannel(); Channel consumer = connection.createChannel()) {
            publisher.queueDeclare(QUEUE, true, false, false, null);
            publisher.confirmSelect();
            AMQP.BasicProperties persistent = MessageProperties.PERSISTENT_TEXT_PLAIN;
            for (int i = 0; i < n; i++) {
                publisher.basicPublish("", QUEUE, persistent, body);
                if (i % 50 == 49) {
                    publisher.waitForConfirmsOrDie(30_000);
                }
            }
            publisher.waitForConfirmsOrDie(30_000);
            int received = 0;
            while (received < n) {
                GetResponse r = consumer.basicGet(QUEUE, false);
                if (r == null) {
                    throw new IllegalStateException("queue empty after " + received + " of " + n);
                }
                consumer.basicAck(r.getEnvelope().getDeliveryTag(), false);
                received++;
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
