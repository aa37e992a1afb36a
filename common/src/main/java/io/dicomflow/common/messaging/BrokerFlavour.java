package io.dicomflow.common.messaging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two AMQP 0-9-1 brokers dicomflow runs on and how each spells the same intent in queue arguments.
 *
 * <p>RabbitMQ (production, CI) gets quorum queues, {@code x-dead-letter-exchange}, {@code x-delivery-limit} and
 * {@code x-message-ttl}. The embedded Qpid Broker-J (standalone mode, default tests) ignores unknown {@code x-}
 * arguments (the embedded broker is told to), re-queues a rejected message forever unless a maximum delivery
 * count is set, dead-letters through an alternate exchange and expires messages to it with
 * {@code maximumMessageTtl} + {@code expiryPolicy: ROUTE_TO_ALTERNATE}. See
 * docs/decisions/0002-two-broker-flavours.md.
 */
public enum BrokerFlavour {

	RABBITMQ {
		@Override
		public Map<String, Object> workQueueArguments(String deadLetterExchange) {
			Map<String, Object> args = new LinkedHashMap<>();
			args.put("x-queue-type", "quorum");
			args.put("x-dead-letter-exchange", deadLetterExchange);
			// a message that keeps killing its consumer (no ack, no reject) is parked after this many deliveries
			args.put("x-delivery-limit", MAX_DELIVERIES);
			// quorum queues dead-letter at-most-once unless told otherwise; a parked message must not vanish
			args.put("x-dead-letter-strategy", "at-least-once");
			args.put("x-overflow", "reject-publish");
			return args;
		}

		@Override
		public Map<String, Object> durableQueueArguments() {
			return Map.of("x-queue-type", "quorum");
		}

		@Override
		public Map<String, Object> parkingQueueArguments() {
			return Map.of("x-queue-type", "quorum");
		}

		@Override
		public Map<String, Object> delayQueueArguments(Duration delay, String backExchange) {
			Map<String, Object> args = new LinkedHashMap<>();
			args.put("x-queue-type", "quorum");
			args.put("x-message-ttl", delay.toMillis());
			args.put("x-dead-letter-exchange", backExchange);
			args.put("x-dead-letter-strategy", "at-least-once");
			args.put("x-overflow", "reject-publish");
			return args;
		}
	},

	QPID {
		@Override
		public Map<String, Object> workQueueArguments(String deadLetterExchange) {
			Map<String, Object> args = new LinkedHashMap<>();
			// Qpid re-queues even a reject(requeue=false); after this many deliveries it routes the message to the
			// alternate exchange instead. Above 1 so that a consumer crash (redelivery) is not parked at once.
			args.put("x-qpid-maximum-delivery-count", MAX_DELIVERIES);
			args.put("alternateExchange", deadLetterExchange);
			return args;
		}

		@Override
		public Map<String, Object> durableQueueArguments() {
			// without a limit a message rejected as unreadable would loop forever; after it, Qpid drops it
			return Map.of("x-qpid-maximum-delivery-count", MAX_DELIVERIES);
		}

		@Override
		public Map<String, Object> parkingQueueArguments() {
			// no delivery count: an operator listing the queue (fetch, hand back) must not wear its messages out
			return Map.of();
		}

		@Override
		public Map<String, Object> delayQueueArguments(Duration delay, String backExchange) {
			// a per-message expiration would travel with the message and expire it again at the target, so the
			// delay is the queue's; housekeeping (200 ms in the embedded broker) decides how prompt it is
			Map<String, Object> args = new LinkedHashMap<>();
			args.put("maximumMessageTtl", delay.toMillis());
			args.put("expiryPolicy", "ROUTE_TO_ALTERNATE");
			args.put("alternateExchange", backExchange);
			return args;
		}
	};

	/**
	 * Deliveries after which the broker gives a message up: parks it (RabbitMQ delivery limit, Qpid maximum
	 * delivery count). Only a consumer that dies or rejects without deciding reaches it: the worker itself
	 * moves failed messages to the retry queues and acknowledges them.
	 */
	public static final int MAX_DELIVERIES = 5;

	/** Arguments of a durable work queue whose rejected messages go to {@code deadLetterExchange}. */
	public abstract Map<String, Object> workQueueArguments(String deadLetterExchange);

	/** Arguments of a plain durable queue. */
	public abstract Map<String, Object> durableQueueArguments();

	/** Arguments of the parking queue: nobody consumes it, operators list and re-queue from it. */
	public abstract Map<String, Object> parkingQueueArguments();

	/**
	 * Arguments of a durable delay queue: nobody consumes it; each message leaves after {@code delay} through
	 * {@code backExchange}.
	 */
	public abstract Map<String, Object> delayQueueArguments(Duration delay, String backExchange);

	/** Reads {@code dicomflow.amqp.broker}: {@code rabbitmq} (default) or {@code qpid}. */
	public static BrokerFlavour of(String name) {
		return (name == null || name.isBlank()) ? RABBITMQ : valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
	}

}
