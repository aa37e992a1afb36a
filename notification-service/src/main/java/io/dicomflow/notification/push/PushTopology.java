package io.dicomflow.notification.push;

import java.util.UUID;

import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.messaging.TopologyDeclarations;

import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This instance's own queue of user events: exclusive and auto-delete, so it lives exactly as long as the
 * instance's connection, and re-declared by RabbitAdmin after a reconnect.
 */
@Configuration(proxyBeanMethods = false)
class PushTopology {

	static final String PUSH_QUEUE_BEAN = "userEventsPushQueue";

	private final Declarables declarables;

	PushTopology(TopologyDeclarations topology) {
		this.declarables = topology.instanceUserEvents(Topology.NOTIFICATIONS_PUSH_PREFIX + UUID.randomUUID());
	}

	@Bean(PUSH_QUEUE_BEAN)
	Queue userEventsPushQueue() {
		return this.declarables.getDeclarablesByType(Queue.class).get(0);
	}

	@Bean
	Declarables userEventsPushBindings() {
		return new Declarables(this.declarables.getDeclarables()
			.stream()
			.filter((d) -> !(d instanceof Queue))
			.toArray(Declarable[]::new));
	}

}
