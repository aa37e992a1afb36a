package io.dicomflow.upload.backpressure;

import java.time.Duration;
import java.util.Properties;
import java.util.function.LongSupplier;

import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.OutboxRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Measures the backlog behind the ingest, the outbox rows not yet published and the analysis requests not
 * yet taken, and says whether new uploads should wait. A measurement is reused for {@code check-interval}; a
 * broker that cannot be asked counts as no queue backlog (the outbox backlog then grows and is the signal).
 */
@Component
@EnableConfigurationProperties(BackpressureProperties.class)
public class BackpressureGate {

	private static final Logger log = LoggerFactory.getLogger(BackpressureGate.class);

	private final BackpressureProperties properties;

	private final LongSupplier outboxPending;

	private final LongSupplier queueDepth;

	private volatile Measurement last;

	@Autowired
	BackpressureGate(BackpressureProperties properties, OutboxRelay relay, ObjectProvider<AmqpAdmin> admin) {
		this(properties, relay::pending, () -> queueDepth(admin.getIfAvailable()));
	}

	BackpressureGate(BackpressureProperties properties, LongSupplier outboxPending, LongSupplier queueDepth) {
		this.properties = properties;
		this.outboxPending = outboxPending;
		this.queueDepth = queueDepth;
	}

	/**
	 * @param outboxPending unpublished outbox events
	 * @param queueDepth messages in the analysis queue
	 * @param at when measured ({@link System#nanoTime()})
	 */
	record Measurement(long outboxPending, long queueDepth, long at) {
	}

	/** Whether uploads should be turned away now. */
	public boolean overloaded() {
		if (!this.properties.enabled()) {
			return false;
		}
		Measurement measurement = measure();
		return measurement.outboxPending() > this.properties.maxOutboxPending()
				|| measurement.queueDepth() > this.properties.maxQueueDepth();
	}

	public Duration retryAfter() {
		return this.properties.retryAfter();
	}

	private Measurement measure() {
		Measurement current = this.last;
		long now = System.nanoTime();
		if (current == null || now - current.at() > this.properties.checkInterval().toNanos()) {
			current = new Measurement(this.outboxPending.getAsLong(), this.queueDepth.getAsLong(), now);
			this.last = current;
			if (current.outboxPending() > this.properties.maxOutboxPending()
					|| current.queueDepth() > this.properties.maxQueueDepth()) {
				log.warn("Back-pressure: {} outbox events pending, {} analysis requests queued",
						current.outboxPending(), current.queueDepth());
			}
		}
		return current;
	}

	private static long queueDepth(AmqpAdmin admin) {
		if (admin == null) {
			return 0;
		}
		try {
			Properties queue = admin.getQueueProperties(Topology.ANALYSIS_REQUESTS);
			Object count = (queue != null) ? queue.get(RabbitAdmin.QUEUE_MESSAGE_COUNT) : null;
			return (count instanceof Number number) ? number.longValue() : 0;
		}
		catch (RuntimeException ex) {
			return 0;
		}
	}

}
