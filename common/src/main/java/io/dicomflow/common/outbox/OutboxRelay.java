package io.dicomflow.common.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes pending outbox rows with publisher confirms, in a single background thread per process.
 *
 * <p>Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several instances of a service share the work
 * without publishing a row twice at the same time. A row counts as published only when the broker acked it
 * and did not return it as unroutable (on RabbitMQ an unroutable mandatory message is returned, then acked;
 * on Qpid it is returned and nacked). A failed row gets an exponential backoff and is tried again; the broker
 * being down therefore delays events but never loses them. Delivery is at-least-once: a crash between the
 * confirm and the commit republishes the row, which consumers absorb through the event id.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private static final TypeReference<Map<String, Object>> HEADER_MAP = new TypeReference<>() {
	};

	private final JdbcTemplate jdbc;

	private final TransactionTemplate tx;

	private final RabbitTemplate rabbit;

	private final JsonMapper json;

	private final OutboxProperties properties;

	private final Semaphore wakeUps = new Semaphore(0);

	private final Counter published;

	private final Counter failed;

	private final List<PublishListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile Thread worker;

	private volatile boolean running;

	public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, RabbitTemplate rabbit, JsonMapper json,
			OutboxProperties properties, MeterRegistry meters) {
		if (!rabbit.getConnectionFactory().isPublisherConfirms()) {
			throw new IllegalStateException(
					"The outbox needs publisher confirms: set spring.rabbitmq.publisher-confirm-type=correlated");
		}
		this.jdbc = jdbc;
		this.tx = tx;
		this.rabbit = rabbit;
		this.json = json;
		this.properties = properties;
		this.published = Counter.builder("dicomflow.outbox.published").register(meters);
		this.failed = Counter.builder("dicomflow.outbox.publish.failures").register(meters);
		Gauge.builder("dicomflow.outbox.pending", this, OutboxRelay::pending).register(meters);
	}

	/** Is told about every event the broker confirmed, after the row was marked published. */
	@FunctionalInterface
	public interface PublishListener {

		void published(UUID eventId);

		/**
		 * The events of one relayed batch, in publishing order; override to handle them together (one
		 * transaction instead of one per event).
		 */
		default void published(List<UUID> eventIds) {
			for (UUID id : eventIds) {
				published(id);
			}
		}

	}

	public void addPublishListener(PublishListener listener) {
		this.listeners.add(listener);
	}

	/** Asks for a relay pass now, e.g. right after a transaction with new rows committed. */
	public void wakeUp() {
		if (this.wakeUps.availablePermits() == 0) {
			this.wakeUps.release();
		}
	}

	/** Number of rows not yet confirmed by the broker. */
	public long pending() {
		Long count = this.jdbc.queryForObject("select count(*) from outbox_event where published_at is null",
				Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Publishes every row that is due, batch after batch.
	 * @return the number of rows confirmed
	 */
	public int relayDue() {
		int total = 0;
		while (true) {
			BatchOutcome outcome = this.tx.execute((status) -> relayBatch());
			if (outcome == null) {
				return total;
			}
			total += outcome.confirmed();
			notifyListeners(outcome.confirmedIds());
			if (outcome.claimed() < this.properties.batchSize() || outcome.confirmed() < outcome.claimed()) {
				return total;
			}
		}
	}

	private void notifyListeners(List<UUID> confirmedIds) {
		if (confirmedIds.isEmpty()) {
			return;
		}
		for (PublishListener listener : this.listeners) {
			try {
				listener.published(confirmedIds);
			}
			catch (RuntimeException ex) {
				log.warn("Publish listener failed for {} events from {}: {}", confirmedIds.size(), confirmedIds.get(0),
						ex.toString());
			}
		}
	}

	private BatchOutcome relayBatch() {
		List<PendingRow> rows = this.jdbc.query(
				"select id, exchange, routing_key, payload, headers::text, attempts from outbox_event "
						+ "where published_at is null and next_attempt_at <= now() "
						+ "order by created_at limit ? for update skip locked",
				(rs, i) -> new PendingRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
						rs.getBytes(4), rs.getString(5), rs.getInt(6)),
				this.properties.batchSize());
		if (rows.isEmpty()) {
			return new BatchOutcome(0, 0, List.of());
		}
		List<CorrelationData> confirms = new ArrayList<>(rows.size());
		for (PendingRow row : rows) {
			CorrelationData correlation = new CorrelationData(row.id().toString());
			try {
				this.rabbit.send(row.exchange(), row.routingKey(), toMessage(row), correlation);
			}
			catch (RuntimeException ex) {
				correlation.getFuture().completeExceptionally(ex);
			}
			confirms.add(correlation);
		}
		List<UUID> confirmedIds = new ArrayList<>();
		for (int i = 0; i < rows.size(); i++) {
			PendingRow row = rows.get(i);
			String failure = awaitConfirm(confirms.get(i));
			if (failure == null) {
				confirmedIds.add(row.id());
			}
			else {
				int attempts = row.attempts() + 1;
				Instant next = Instant.now().plus(this.properties.backoff(attempts));
				this.jdbc.update("update outbox_event set attempts = ?, last_error = ?, next_attempt_at = ? where id = ?",
						attempts, failure, Timestamp.from(next), row.id());
				this.failed.increment();
				log.warn("Outbox event {} not published (attempt {}): {}", row.id(), attempts, failure);
			}
		}
		if (!confirmedIds.isEmpty()) {
			// one statement for the batch's confirmed rows (one per row cost a round trip each)
			this.jdbc.update("update outbox_event set published_at = now(), attempts = attempts + 1, last_error = null "
					+ "where id = any(?)", (ps) -> ps.setArray(1,
							ps.getConnection().createArrayOf("uuid", confirmedIds.toArray())));
			this.published.increment(confirmedIds.size());
		}
		return new BatchOutcome(rows.size(), confirmedIds.size(), confirmedIds);
	}

	/** @return null when the broker confirmed and routed the message, else why not */
	private String awaitConfirm(CorrelationData correlation) {
		try {
			CorrelationData.Confirm confirm = correlation.getFuture()
				.get(this.properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
			if (correlation.getReturned() != null) {
				return "returned unroutable: " + correlation.getReturned().getReplyText();
			}
			if (!confirm.ack()) {
				return "nacked by broker" + ((confirm.reason() != null) ? ": " + confirm.reason() : "");
			}
			return null;
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return "no confirm within " + this.properties.confirmTimeout();
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return "send failed: " + ex.getCause().getMessage();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
	}

	private Message toMessage(PendingRow row) {
		MessageProperties props = new MessageProperties();
		props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		props.setContentEncoding("UTF-8");
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		props.setMessageId(row.id().toString());
		this.json.readValue(row.headersJson(), HEADER_MAP).forEach(props::setHeader);
		if (props.getHeader("type") instanceof String type) {
			props.setType(type);
		}
		if (props.getHeader("correlationId") instanceof String correlationId) {
			props.setCorrelationId(correlationId);
		}
		return new Message(row.payload(), props);
	}

	private void loop() {
		while (this.running) {
			try {
				relayDue();
			}
			catch (RuntimeException ex) {
				log.warn("Outbox relay pass failed, retrying: {}", ex.toString());
			}
			try {
				this.wakeUps.tryAcquire(this.properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				this.wakeUps.drainPermits();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public void start() {
		this.running = true;
		Thread thread = new Thread(this::loop, "outbox-relay");
		thread.setDaemon(true);
		this.worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.worker;
		if (thread != null) {
			this.wakeUp();
			try {
				thread.join(this.properties.confirmTimeout().toMillis() + 1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private record PendingRow(UUID id, String exchange, String routingKey, byte[] payload, String headersJson,
			int attempts) {
	}

	private record BatchOutcome(int claimed, int confirmed, List<UUID> confirmedIds) {
	}

}
