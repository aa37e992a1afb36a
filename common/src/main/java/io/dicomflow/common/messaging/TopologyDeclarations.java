package io.dicomflow.common.messaging;

import java.util.List;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;

/**
 * Builds the {@link Declarables} of the topology. Every service declares the whole durable topology, not only
 * the part it consumes: RabbitAdmin re-declares it on every (re)connect, so after a broker restart that lost
 * its queues (the in-memory embedded broker) the first service to reconnect restores every queue before it
 * publishes, and no event is routed to nowhere because its consumer has not reconnected yet.
 */
public final class TopologyDeclarations {

	private final BrokerFlavour flavour;

	public TopologyDeclarations(BrokerFlavour flavour) {
		this.flavour = flavour;
	}

	public BrokerFlavour flavour() {
		return this.flavour;
	}

	public TopicExchange uploadsExchange() {
		return new TopicExchange(Topology.UPLOADS_EXCHANGE, true, false);
	}

	public TopicExchange analysisExchange() {
		return new TopicExchange(Topology.ANALYSIS_EXCHANGE, true, false);
	}

	/** Every durable exchange, queue and binding of dicomflow. */
	public Declarables durableTopology() {
		List<Declarable> all = new java.util.ArrayList<>();
		all.addAll(analysisRequests().getDeclarables());
		all.addAll(analysisOutcomes(Topology.UPLOAD_STATUS).getDeclarables());
		all.addAll(notificationsEmail().getDeclarables());
		return new Declarables(all);
	}

	/** The work queue, its dead-letter exchange and the parking queue behind it. */
	public Declarables analysisRequests() {
		FanoutExchange dlx = new FanoutExchange(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE, true, false);
		Queue parking = QueueBuilder.durable(Topology.ANALYSIS_PARKING)
			.withArguments(this.flavour.durableQueueArguments())
			.build();
		Queue requests = QueueBuilder.durable(Topology.ANALYSIS_REQUESTS)
			.withArguments(this.flavour.workQueueArguments(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE))
			.build();
		TopicExchange uploads = uploadsExchange();
		return new Declarables(List.<Declarable>of(uploads, dlx, parking, requests,
				BindingBuilder.bind(parking).to(dlx),
				BindingBuilder.bind(requests).to(uploads).with(Topology.IMAGE_UPLOADED)));
	}

	/** A durable queue bound to every analysis outcome. */
	public Declarables analysisOutcomes(String queueName) {
		Queue queue = QueueBuilder.durable(queueName).withArguments(this.flavour.durableQueueArguments()).build();
		TopicExchange analysis = analysisExchange();
		Binding binding = BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY);
		return new Declarables(List.<Declarable>of(analysis, queue, binding));
	}

	/**
	 * The notifiers' shared email queue: every analysis outcome plus {@code UploadCompleted}, which tells the
	 * notifier how many outcomes an upload will have.
	 */
	public Declarables notificationsEmail() {
		Queue queue = QueueBuilder.durable(Topology.NOTIFICATIONS_EMAIL)
			.withArguments(this.flavour.durableQueueArguments())
			.build();
		TopicExchange analysis = analysisExchange();
		TopicExchange uploads = uploadsExchange();
		return new Declarables(List.<Declarable>of(analysis, uploads, queue,
				BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY),
				BindingBuilder.bind(queue).to(uploads).with(Topology.UPLOAD_COMPLETED)));
	}

	/** A queue of this process only (exclusive, auto-delete) bound to every analysis outcome. */
	public Declarables instanceAnalysisOutcomes(String queueName) {
		Queue queue = QueueBuilder.nonDurable(queueName).exclusive().autoDelete().build();
		TopicExchange analysis = analysisExchange();
		return new Declarables(List.<Declarable>of(analysis, queue,
				BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY)));
	}

}
