package io.dicomflow.common.outbox;

import java.time.Duration;
import java.util.UUID;

import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.Traceparent;
import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The relay against a real PostgreSQL and a real AMQP broker (embedded Qpid, or RabbitMQ with -Dinfra=local):
 * a publish the broker does not route or does not take stays pending and goes out on a later pass, with its
 * headers intact.
 */
class OutboxRelayIT {

	private static final String EXCHANGE = "outbox.test";

	private static Infrastructure infrastructure;

	private static CachingConnectionFactory connections;

	private static JdbcTemplate jdbc;

	private static TransactionTemplate tx;

	private static RabbitTemplate rabbit;

	private static RabbitAdmin admin;

	private static OutboxRelay relay;

	private static Outbox outbox;

	private final EventCodec codec = new EventCodec();

	@BeforeAll
	static void start() {
		infrastructure = Infrastructure.start(InfraOptions.forTests());
		var props = infrastructure.springProperties();
		DriverManagerDataSource dataSource = new DriverManagerDataSource((String) props.get("spring.datasource.url"),
				(String) props.get("spring.datasource.username"), String.valueOf(props.get("spring.datasource.password")));
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		jdbc = new JdbcTemplate(dataSource);
		tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		connections = new CachingConnectionFactory((String) props.get("spring.rabbitmq.host"),
				Integer.parseInt(String.valueOf(props.get("spring.rabbitmq.port"))));
		connections.setUsername((String) props.get("spring.rabbitmq.username"));
		connections.setPassword((String) props.get("spring.rabbitmq.password"));
		connections.setVirtualHost((String) props.get("spring.rabbitmq.virtual-host"));
		connections.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		connections.setPublisherReturns(true);
		rabbit = new RabbitTemplate(connections);
		rabbit.setMandatory(true);
		admin = new RabbitAdmin(connections);
		JsonMapper json = JsonMapper.builder().build();
		OutboxProperties properties = new OutboxProperties(Duration.ofSeconds(1), 100, Duration.ofSeconds(5),
				Duration.ofMillis(1), Duration.ofMillis(1));
		relay = new OutboxRelay(jdbc, tx, rabbit, json, properties, new SimpleMeterRegistry());
		outbox = new Outbox(jdbc, new EventCodec(json), json, relay);
	}

	@AfterAll
	static void stop() {
		if (connections != null) {
			connections.destroy();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	@BeforeEach
	void cleanSlate() {
		jdbc.update("delete from outbox_event");
		admin.declareExchange(new TopicExchange(EXCHANGE, true, false));
	}

	@Test
	void unroutablePublishStaysPendingAndGoesOutOnceRoutableWithItsHeaders() throws Exception {
		String routingKey = "routed.later." + UUID.randomUUID();
		EventEnvelope<AnalysisFailed> event = append(routingKey);

		assertThat(relay.relayDue()).isZero();
		assertThat(relay.pending()).isEqualTo(1);
		assertThat(jdbc.queryForObject("select last_error from outbox_event where id = ?", String.class,
				event.eventId())).containsAnyOf("returned", "nacked");

		// not auto-delete: Qpid deletes an auto-delete queue that never had a consumer
		Queue queue = new Queue("outbox.test." + UUID.randomUUID(), false, false, false);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(EXCHANGE)).with(routingKey));
		Thread.sleep(5); // past the 1 ms backoff

		assertThat(relay.relayDue()).isEqualTo(1);
		assertThat(relay.pending()).isZero();
		Message message = rabbit.receive(queue.getName(), 5000);
		assertThat(message).isNotNull();
		assertThat(message.getMessageProperties().getMessageId()).isEqualTo(event.eventId().toString());
		assertThat((String) message.getMessageProperties().getHeader("traceparent")).isEqualTo(event.traceparent());
		assertThat(codec.decode(message.getBody())).isEqualTo(event);
		assertThat(rabbit.receive(queue.getName(), 200)).as("published exactly once").isNull();
		admin.deleteQueue(queue.getName());
	}

	@Test
	void publishWhileTheBrokerIsDownStaysPendingUntilItIsBack() throws Exception {
		assumeTrue(!"local".equals(System.getProperty("infra")), "stops the broker: embedded broker only");
		String routingKey = "outage." + UUID.randomUUID();
		Queue queue = new Queue("outbox.outage." + UUID.randomUUID(), true, false, false);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(EXCHANGE)).with(routingKey));

		infrastructure.stopBroker();
		try {
			append(routingKey);
			assertThat(relay.relayDue()).isZero();
			assertThat(relay.pending()).isEqualTo(1);
		}
		finally {
			infrastructure.startBroker();
		}
		// the in-memory broker forgot its queues: declare them again, as RabbitAdmin does on reconnect
		admin.declareExchange(new TopicExchange(EXCHANGE, true, false));
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(EXCHANGE)).with(routingKey));
		Thread.sleep(5);

		assertThat(relay.relayDue()).isEqualTo(1);
		assertThat(relay.pending()).isZero();
		assertThat(rabbit.receive(queue.getName(), 5000)).isNotNull();
		admin.deleteQueue(queue.getName());
	}

	private EventEnvelope<AnalysisFailed> append(String routingKey) {
		EventEnvelope<AnalysisFailed> event = EventEnvelope.of(
				new AnalysisFailed(UUID.randomUUID(), UUID.randomUUID(), "1.2.3", "TEST", "test"), "upload-1", "alice",
				Traceparent.newRoot());
		tx.executeWithoutResult((status) -> outbox.append(event, EXCHANGE, routingKey));
		return event;
	}

}
