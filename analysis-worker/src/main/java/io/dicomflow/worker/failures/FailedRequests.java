package io.dicomflow.worker.failures;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.dicomflow.common.messaging.Topology;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Moves analysis requests the worker cannot finish now: into the delay queue of their attempt, or into the
 * parking queue. Each move is a publish the broker confirmed (and did not return) before the caller
 * acknowledges the original, so a request is never in neither place; a crash between the two leaves it in
 * both, which the results' unique keys absorb.
 */
@Component
public class FailedRequests {

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private final RabbitTemplate rabbit;

	public FailedRequests(RabbitTemplate rabbit) {
		this.rabbit = rabbit;
	}

	/** The attempt a delivered request is at: 1 for the first delivery. */
	public static int attempt(Message message) {
		Object value = message.getMessageProperties().getHeader(Topology.ATTEMPT_HEADER);
		return (value instanceof Number n) ? Math.max(1, n.intValue()) : 1;
	}

	/** Sends the request to wait {@code delay} and come back as attempt {@code nextAttempt}. */
	public void retryLater(Message message, Duration delay, int nextAttempt) {
		publish(Topology.analysisRetryQueue(delay), copy(message, Map.of(Topology.ATTEMPT_HEADER, nextAttempt)));
	}

	/**
	 * Parks the request.
	 * @param code why, machine-readable
	 * @param detail why, human-readable, free of patient data
	 */
	public void park(Message message, String code, String detail) {
		publish(Topology.ANALYSIS_PARKING, copy(message,
				Map.of(Topology.PARKED_REASON_HEADER, code, Topology.PARKED_DETAIL_HEADER, truncate(detail))));
	}

	/** Publishes to a queue through the default exchange and waits for the broker's confirm. */
	void publish(String queue, Message message) {
		CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
		this.rabbit.send("", queue, message, correlation);
		CorrelationData.Confirm confirm;
		try {
			confirm = correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AmqpException("interrupted waiting for the confirm of a publish to " + queue);
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new AmqpException("no confirm for a publish to " + queue + ": " + ex);
		}
		if (correlation.getReturned() != null || !confirm.ack()) {
			throw new AmqpException("the broker did not take a publish to " + queue);
		}
	}

	/** A persistent copy of the request with the same ids, body and own headers, plus {@code extra}. */
	static Message copy(Message message, Map<String, Object> extra) {
		MessageProperties original = message.getMessageProperties();
		MessageProperties props = new MessageProperties();
		props.setContentType(original.getContentType());
		props.setContentEncoding(original.getContentEncoding());
		props.setMessageId(original.getMessageId());
		props.setType(original.getType());
		props.setCorrelationId(original.getCorrelationId());
		props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		// broker bookkeeping (x-death, x-delivery-count, ...) belongs to the previous trip, not to this one
		original.getHeaders().forEach((name, value) -> {
			if (!name.startsWith("x-") || name.startsWith("x-dicomflow-")) {
				props.setHeader(name, value);
			}
		});
		extra.forEach(props::setHeader);
		return new Message(message.getBody(), props);
	}

	private static String truncate(String detail) {
		String text = (detail == null) ? "" : detail;
		return (text.length() > 500) ? text.substring(0, 500) + "…" : text;
	}

}
