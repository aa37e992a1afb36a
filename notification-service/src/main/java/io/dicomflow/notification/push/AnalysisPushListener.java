package io.dicomflow.notification.push;

import java.util.Map;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.messaging.EventDelivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/** Forwards every analysis event to the owner's sessions connected to this instance. */
@Component
class AnalysisPushListener {

	/** Where clients subscribe, under their {@code /user} prefix. */
	static final String DESTINATION = "/queue/analyses";

	private final SimpMessagingTemplate stomp;

	private final EventDelivery delivery;

	private final Counter pushed;

	AnalysisPushListener(SimpMessagingTemplate stomp, EventDelivery delivery, MeterRegistry meters) {
		this.stomp = stomp;
		this.delivery = delivery;
		this.pushed = Counter.builder("dicomflow.notifications.pushed").register(meters);
	}

	@RabbitListener(queues = "#{@" + PushTopology.PUSH_QUEUE_BEAN + ".name}")
	void onAnalysisEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::push);
	}

	private void push(EventEnvelope<? extends EventPayload> event) {
		this.stomp.convertAndSendToUser(event.owner(), DESTINATION, event, Map.of("event-type", event.type()));
		this.pushed.increment();
	}

}
