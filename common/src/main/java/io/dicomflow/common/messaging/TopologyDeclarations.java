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
 * Builds the {@link Declarables} each service needs. A service declares what it publishes to and what it
 * consumes from; RabbitAdmin re-declares them on every (re)connect, so a broker restart with an empty store
 * heals itself.
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
