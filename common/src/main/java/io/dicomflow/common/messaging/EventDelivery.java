package io.dicomflow.common.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;

/**
 * Manual acknowledgement for event consumers: decode, act, then ack only once the action returned (i.e. its
 * transaction committed). An unreadable message is rejected without requeue (it would never become
 * readable); a failed action is rejected with requeue after a short pause, so a passing outage of the
 * database or object store delays the event instead of losing it.
 */
public final class EventDelivery {

	private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

	private final EventCodec codec;

	public EventDelivery(EventCodec codec) {
		this.codec = codec;
	}

	/** What a consumer does with one event. */
	@FunctionalInterface
	public interface Action {

		void accept(EventEnvelope<? extends EventPayload> event) throws Exception;

	}

	public void deliver(Message message, Channel channel, Action action) {
		long tag = message.getMessageProperties().getDeliveryTag();
		EventEnvelope<? extends EventPayload> event;
		try {
			event = this.codec.decode(message.getBody());
		}
		catch (RuntimeException ex) {
			log.error("Rejecting unreadable message {}: {}", message.getMessageProperties().getMessageId(),
					ex.getMessage());
			reject(channel, tag, false);
			return;
		}
		try {
			action.accept(event);
			ack(channel, tag);
		}
		catch (Exception ex) {
			log.warn("Event {} ({}) failed, will be redelivered: {}", event.eventId(), event.type(), ex.toString());
			pause();
			reject(channel, tag, true);
		}
	}

	private static void pause() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void ack(Channel channel, long tag) {
		try {
			channel.basicAck(tag, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void reject(Channel channel, long tag, boolean requeue) {
		try {
			channel.basicReject(tag, requeue);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
