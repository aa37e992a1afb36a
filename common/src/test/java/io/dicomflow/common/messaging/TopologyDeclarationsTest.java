package io.dicomflow.common.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;

import static org.assertj.core.api.Assertions.assertThat;

class TopologyDeclarationsTest {

	private static Map<String, Queue> queues(BrokerFlavour flavour) {
		return new TopologyDeclarations(flavour, List.of(Duration.ofSeconds(2), Duration.ofSeconds(8)))
			.durableTopology()
			.getDeclarablesByType(Queue.class)
			.stream()
			.collect(java.util.stream.Collectors.toMap(Queue::getName, (q) -> q, (a, b) -> a));
	}

	@Test
	void theDurableTopologyDeclaresEveryQueueOfEveryService() {
		assertThat(queues(BrokerFlavour.RABBITMQ)).containsOnlyKeys(Topology.ANALYSIS_REQUESTS,
				Topology.ANALYSIS_PARKING, "analysis.requests.retry-2000ms", "analysis.requests.retry-8000ms",
				Topology.UPLOAD_STATUS, Topology.NOTIFICATIONS_EMAIL, Topology.NOTIFICATIONS_FEED);
	}

	@Test
	void onRabbitMqDelayQueuesExpireBackToTheWorkQueueExchangeAndEverythingIsQuorum() {
		Map<String, Queue> queues = queues(BrokerFlavour.RABBITMQ);
		assertThat(queues.get("analysis.requests.retry-2000ms").getArguments()).containsEntry("x-message-ttl", 2000L)
			.containsEntry("x-dead-letter-exchange", Topology.ANALYSIS_REQUEUE_EXCHANGE)
			.containsEntry("x-queue-type", "quorum");
		assertThat(queues.get(Topology.ANALYSIS_REQUESTS).getArguments())
			.containsEntry("x-dead-letter-exchange", Topology.ANALYSIS_DEAD_LETTER_EXCHANGE)
			.containsEntry("x-delivery-limit", BrokerFlavour.MAX_DELIVERIES)
			.containsEntry("x-dead-letter-strategy", "at-least-once");
		assertThat(queues.values()).allSatisfy((q) -> assertThat(q.getArguments()).containsEntry("x-queue-type", "quorum"));
	}

	@Test
	void onQpidDelayQueuesUseQueueTtlRoutedToTheAlternateExchangeAndTheParkingQueueHasNoDeliveryLimit() {
		Map<String, Queue> queues = queues(BrokerFlavour.QPID);
		assertThat(queues.get("analysis.requests.retry-8000ms").getArguments())
			.containsEntry("maximumMessageTtl", 8000L)
			.containsEntry("expiryPolicy", "ROUTE_TO_ALTERNATE")
			.containsEntry("alternateExchange", Topology.ANALYSIS_REQUEUE_EXCHANGE);
		assertThat(queues.get(Topology.ANALYSIS_REQUESTS).getArguments())
			.containsEntry("alternateExchange", Topology.ANALYSIS_DEAD_LETTER_EXCHANGE);
		assertThat(queues.get(Topology.ANALYSIS_PARKING).getArguments()).isEmpty();
		assertThat(queues.values()).allSatisfy((q) -> assertThat(q.getArguments().keySet())
			.noneMatch((k) -> k.equals("x-queue-type") || k.equals("x-dead-letter-exchange")));
	}

}
