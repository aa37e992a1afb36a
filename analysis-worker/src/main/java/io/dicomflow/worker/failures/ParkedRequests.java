package io.dicomflow.worker.failures;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.messaging.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.stereotype.Component;

/**
 * What the parking queue {@code analysis.requests.dlq} holds, read without taking anything away (messages are
 * fetched unacknowledged and handed back when the channel closes), and re-queued on an operator's request.
 */
@Component
public class ParkedRequests {

	private static final Logger log = LoggerFactory.getLogger(ParkedRequests.class);

	private final RabbitTemplate rabbit;

	private final FailedRequests failed;

	private final EventCodec codec;

	private final DefaultMessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	ParkedRequests(RabbitTemplate rabbit, FailedRequests failed, EventCodec codec) {
		this.rabbit = rabbit;
		this.failed = failed;
		this.codec = codec;
	}

	/**
	 * One parked request.
	 *
	 * @param messageId the message id (the {@code ImageUploaded} event id)
	 * @param reason why it was parked (code)
	 * @param detail why, human-readable
	 * @param attempts attempts made
	 * @param requeued how often an operator re-queued it before
	 * @param uploadId upload, when the body is readable
	 * @param fileId file, when the body is readable
	 * @param sopInstanceUid instance, when the body is readable
	 */
	public record Parked(String messageId, String reason, String detail, int attempts, int requeued, String uploadId,
			String fileId, String sopInstanceUid) {
	}

	/** Up to {@code limit} parked requests, oldest first. */
	public List<Parked> list(int limit) {
		return this.rabbit.execute((channel) -> {
			List<Parked> parked = new ArrayList<>();
			long last = 0;
			try {
				GetResponse response;
				while (parked.size() < limit && (response = channel.basicGet(Topology.ANALYSIS_PARKING, false)) != null) {
					last = response.getEnvelope().getDeliveryTag();
					parked.add(describe(toMessage(response)));
				}
			}
			finally {
				handBack(channel, last);
			}
			return parked;
		});
	}

	/**
	 * Puts parked requests back on the work queue as a first attempt.
	 * @param messageIds the ones to re-queue; empty for all
	 * @return the ids re-queued
	 */
	public List<String> requeue(Set<String> messageIds) {
		return this.rabbit.execute((channel) -> {
			List<String> requeued = new ArrayList<>();
			// the last delivery left unacknowledged: only those are handed back (a nack of a tag already
			// acknowledged is a channel error, PRECONDITION_FAILED - unknown delivery tag)
			long lastSkipped = 0;
			try {
				GetResponse response;
				while ((response = channel.basicGet(Topology.ANALYSIS_PARKING, false)) != null) {
					Message message = toMessage(response);
					String id = message.getMessageProperties().getMessageId();
					long tag = response.getEnvelope().getDeliveryTag();
					if (!(messageIds.isEmpty() || messageIds.contains(id))) {
						// stays unacknowledged, so the next basicGet moves on; handed back at the end
						lastSkipped = tag;
						continue;
					}
					Object times = message.getMessageProperties().getHeader(Topology.REQUEUED_HEADER);
					Map<String, Object> headers = new HashMap<>();
					headers.put(Topology.ATTEMPT_HEADER, 1);
					headers.put(Topology.REQUEUED_HEADER, ((times instanceof Number n) ? n.intValue() : 0) + 1);
					Message again = FailedRequests.copy(message, headers);
					again.getMessageProperties().getHeaders().remove(Topology.PARKED_REASON_HEADER);
					again.getMessageProperties().getHeaders().remove(Topology.PARKED_DETAIL_HEADER);
					// confirmed on the work queue before it leaves the parking queue
					this.failed.publish(Topology.ANALYSIS_REQUESTS, again);
					channel.basicAck(tag, false);
					requeued.add(id);
					log.info("Re-queued parked analysis request {}", id);
				}
			}
			finally {
				handBack(channel, lastSkipped);
			}
			return requeued;
		});
	}

	private Message toMessage(GetResponse response) {
		MessageProperties props = this.converter.toMessageProperties(response.getProps(), response.getEnvelope(),
				"UTF-8");
		return new Message(response.getBody(), props);
	}

	private Parked describe(Message message) {
		MessageProperties props = message.getMessageProperties();
		String uploadId = null;
		String fileId = null;
		String sop = null;
		try {
			EventEnvelope<? extends EventPayload> event = this.codec.decode(message.getBody());
			if (event.payload() instanceof ImageUploaded image) {
				uploadId = String.valueOf(image.uploadId());
				fileId = String.valueOf(image.fileId());
				sop = image.sopInstanceUid();
			}
		}
		catch (RuntimeException ex) {
			// an unreadable body is listed with its headers only
		}
		return new Parked(props.getMessageId(), header(props, Topology.PARKED_REASON_HEADER),
				header(props, Topology.PARKED_DETAIL_HEADER), FailedRequests.attempt(message),
				(props.getHeader(Topology.REQUEUED_HEADER) instanceof Number n) ? n.intValue() : 0, uploadId, fileId,
				sop);
	}

	private static String header(MessageProperties props, String name) {
		Object value = props.getHeader(name);
		return (value != null) ? value.toString() : null;
	}

	/** Returns every message fetched on the channel and not acknowledged to the parking queue. */
	private static void handBack(Channel channel, long lastTag) throws IOException {
		if (lastTag > 0) {
			channel.basicNack(lastTag, true, true);
		}
	}

}
