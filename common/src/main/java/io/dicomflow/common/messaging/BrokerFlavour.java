package io.dicomflow.common.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two AMQP 0-9-1 brokers dicomflow runs on and how each spells the same intent in queue arguments.
 *
 * <p>RabbitMQ (production, CI) gets quorum queues and {@code x-dead-letter-exchange}. The embedded Qpid
 * Broker-J (standalone mode, default tests) closes the connection on unknown {@code x-} arguments unless told
 * to ignore them, re-queues a rejected message forever unless a maximum delivery count is set, and
 * dead-letters through an alternate exchange. See docs/decisions/0002-two-broker-flavours.md.
 */
public enum BrokerFlavour {

	RABBITMQ {
		@Override
		public Map<String, Object> workQueueArguments(String deadLetterExchange) {
			Map<String, Object> args = new LinkedHashMap<>();
			args.put("x-queue-type", "quorum");
			args.put("x-dead-letter-exchange", deadLetterExchange);
			return args;
		}

		@Override
		public Map<String, Object> durableQueueArguments() {
			return Map.of("x-queue-type", "quorum");
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
	};

	/** Deliveries after which the embedded broker gives a message up (RabbitMQ honours reject without requeue). */
	static final int MAX_DELIVERIES = 5;

	/** Arguments of a durable work queue whose rejected messages go to {@code deadLetterExchange}. */
	public abstract Map<String, Object> workQueueArguments(String deadLetterExchange);

	/** Arguments of a plain durable queue. */
	public abstract Map<String, Object> durableQueueArguments();

	/** Reads {@code dicomflow.amqp.broker}: {@code rabbitmq} (default) or {@code qpid}. */
	public static BrokerFlavour of(String name) {
		return (name == null || name.isBlank()) ? RABBITMQ : valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
	}

}
