package io.dicomflow.notification.push;

import java.util.UUID;

import io.dicomflow.common.messaging.Topology;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This instance's own queue of analysis events: exclusive and auto-delete, so it lives exactly as long as
 * the instance's connection, and re-declared by RabbitAdmin after a reconnect.
 */
@Configuration(proxyBeanMethods = false)
class PushTopology {

	static final String PUSH_QUEUE_BEAN = "analysisPushQueue";

	@Bean(PUSH_QUEUE_BEAN)
	Queue analysisPushQueue() {
		return QueueBuilder.nonDurable(Topology.NOTIFICATIONS_PUSH_PREFIX + UUID.randomUUID())
			.exclusive()
			.autoDelete()
			.build();
	}

	@Bean
	Binding analysisPushBinding(Queue analysisPushQueue, TopicExchange analysisExchange) {
		return BindingBuilder.bind(analysisPushQueue).to(analysisExchange).with(Topology.ANALYSIS_ANY);
	}

}
