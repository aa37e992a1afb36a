package io.dicomflow.infra;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Started as a separate JVM by {@link DerbyStoreIT}: starts the durable broker alone on a data directory, publishes
 * {@link #PUBLISHED} persistent messages with confirms, consumes and acknowledges the first {@link #ACKED} in a
 * committed transaction, then waits to be killed. The store type follows the JVM's
 * {@code -Ddicomflow.embedded.qpid-derby-store}.
 */
public final class DerbyStoreChild {

    static final String READY = "DERBY-STORE-CHILD-READY";
    static final String QUEUE = "store.kill.probe";
    static final int PUBLISHED = 40;
    static final int ACKED = 10;

    private DerbyStoreChild() {
    }

    public static void main(String[] args) throws Exception {
        QpidBroker broker = QpidBroker.start(Path.of(args[0]), true);
        Connection connection = DerbyStoreIT.connect(broker);
        try (Channel publisher = connection.createChannel(); Channel consumer = connection.createChannel()) {
            publisher.queueDeclare(QUEUE, true, false, false, null);
            publisher.confirmSelect();
            for (int i = 0; i < PUBLISHED; i++) {
                publisher.basicPublish("", QUEUE, MessageProperties.PERSISTENT_TEXT_PLAIN,
                        DerbyStoreIT.body(i).getBytes(StandardCharsets.UTF_8));
            }
            publisher.waitForConfirmsOrDie(30_000);
            consumer.txSelect(); // the acks are committed to the store before READY is printed
            for (int i = 0; i < ACKED; i++) {
                GetResponse r = consumer.basicGet(QUEUE, false);
                consumer.basicAck(r.getEnvelope().getDeliveryTag(), false);
            }
            consumer.txCommit();
        }
        System.out.println(READY + " " + broker.messageStore().getClass().getName());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
