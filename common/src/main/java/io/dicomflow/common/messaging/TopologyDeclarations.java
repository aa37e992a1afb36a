package io.dicomflow.common.messaging;

import java.time.Duration;
import java.util.ArrayList;
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

	private final List<Duration> retryDelays;

	/**
	 * @param flavour the broker
	 * @param retryDelays delays of the analysis retry queues, one queue each; attempt n (n ≥ 1) that failed
	 * transiently waits {@code retryDelays[n-1]}
	 */
	public TopologyDeclarations(BrokerFlavour flavour, List<Duration> retryDelays) {
		this.flavour = flavour;
		this.retryDelays = List.copyOf(retryDelays);
	}

	public TopologyDeclarations(BrokerFlavour flavour) {
		this(flavour, List.of());
	}

	public BrokerFlavour flavour() {
		return this.flavour;
	}

	/** The delays of the analysis retry queues, shortest first. */
	public List<Duration> retryDelays() {
		return this.retryDelays;
	}

	public TopicExchange uploadsExchange() {
		return new TopicExchange(Topology.UPLOADS_EXCHANGE, true, false);
	}

	public TopicExchange analysisExchange() {
		return new TopicExchange(Topology.ANALYSIS_EXCHANGE, true, false);
	}

	public TopicExchange notificationsExchange() {
		return new TopicExchange(Topology.NOTIFICATIONS_EXCHANGE, true, false);
	}

	/** Every durable exchange, queue and binding of dicomflow. */
	public Declarables durableTopology() {
		List<Declarable> all = new ArrayList<>();
		all.addAll(analysisRequests().getDeclarables());
		all.addAll(analysisRetries().getDeclarables());
		all.addAll(uploadStatus().getDeclarables());
		all.addAll(notificationsEmail().getDeclarables());
		all.addAll(notificationsFeed().getDeclarables());
		return new Declarables(all);
	}

	/** The work queue, its dead-letter exchange and the parking queue behind it. */
	public Declarables analysisRequests() {
		FanoutExchange dlx = new FanoutExchange(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE, true, false);
		Queue parking = QueueBuilder.durable(Topology.ANALYSIS_PARKING)
			.withArguments(this.flavour.parkingQueueArguments())
			.build();
		Queue requests = QueueBuilder.durable(Topology.ANALYSIS_REQUESTS)
			.withArguments(this.flavour.workQueueArguments(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE))
			.build();
		TopicExchange uploads = uploadsExchange();
		return new Declarables(List.<Declarable>of(uploads, dlx, parking, requests,
				BindingBuilder.bind(parking).to(dlx),
				BindingBuilder.bind(requests).to(uploads).with(Topology.IMAGE_UPLOADED)));
	}

	/**
	 * One delay queue per retry delay, each sending what expires in it back to the work queue through the
	 * requeue exchange. The worker publishes a failed request to the queue of its attempt (default exchange,
	 * routing key = queue name) and acknowledges the original.
	 */
	public Declarables analysisRetries() {
		FanoutExchange back = new FanoutExchange(Topology.ANALYSIS_REQUEUE_EXCHANGE, true, false);
		Queue requests = QueueBuilder.durable(Topology.ANALYSIS_REQUESTS)
			.withArguments(this.flavour.workQueueArguments(Topology.ANALYSIS_DEAD_LETTER_EXCHANGE))
			.build();
		List<Declarable> all = new ArrayList<>(List.of(back, requests, BindingBuilder.bind(requests).to(back)));
		for (Duration delay : this.retryDelays) {
			all.add(QueueBuilder.durable(Topology.analysisRetryQueue(delay))
				.withArguments(this.flavour.delayQueueArguments(delay, Topology.ANALYSIS_REQUEUE_EXCHANGE))
				.build());
		}
		return new Declarables(all);
	}

	/** A durable queue bound to every analysis outcome. */
	public Declarables analysisOutcomes(String queueName) {
		Queue queue = QueueBuilder.durable(queueName).withArguments(this.flavour.durableQueueArguments()).build();
		TopicExchange analysis = analysisExchange();
		Binding binding = BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY);
		return new Declarables(List.<Declarable>of(analysis, queue, binding));
	}

	/** The upload service's queue: analysis outcomes and the notifier's "files notified". */
	public Declarables uploadStatus() {
		List<Declarable> all = new ArrayList<>(analysisOutcomes(Topology.UPLOAD_STATUS).getDeclarables());
		Queue queue = QueueBuilder.durable(Topology.UPLOAD_STATUS)
			.withArguments(this.flavour.durableQueueArguments())
			.build();
		TopicExchange notifications = notificationsExchange();
		all.add(notifications);
		all.add(BindingBuilder.bind(queue).to(notifications).with(Topology.FILES_NOTIFIED));
		return new Declarables(all);
	}

	/**
	 * The notifiers' shared email queue: every analysis outcome plus {@code UploadCompleted}, which tells the
	 * notifier how many outcomes an upload will have.
	 */
	public Declarables notificationsEmail() {
		return userEvents(Topology.NOTIFICATIONS_EMAIL);
	}

	/** The notifiers' shared feed queue: every event that goes to a user's feed. */
	public Declarables notificationsFeed() {
		return userEvents(Topology.NOTIFICATIONS_FEED);
	}

	private Declarables userEvents(String queueName) {
		Queue queue = QueueBuilder.durable(queueName).withArguments(this.flavour.durableQueueArguments()).build();
		TopicExchange analysis = analysisExchange();
		TopicExchange uploads = uploadsExchange();
		return new Declarables(List.<Declarable>of(analysis, uploads, queue,
				BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY),
				BindingBuilder.bind(queue).to(uploads).with(Topology.UPLOAD_COMPLETED)));
	}

	/**
	 * A queue of this process only (exclusive, auto-delete) bound to every event a user's sessions are told
	 * about: analysis outcomes and upload state changes.
	 */
	public Declarables instanceUserEvents(String queueName) {
		Queue queue = QueueBuilder.nonDurable(queueName).exclusive().autoDelete().build();
		TopicExchange analysis = analysisExchange();
		TopicExchange uploads = uploadsExchange();
		return new Declarables(List.<Declarable>of(analysis, uploads, queue,
				BindingBuilder.bind(queue).to(analysis).with(Topology.ANALYSIS_ANY),
				BindingBuilder.bind(queue).to(uploads).with(Topology.UPLOAD_COMPLETED)));
	}

}
