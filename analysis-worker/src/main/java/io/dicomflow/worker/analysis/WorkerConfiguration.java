package io.dicomflow.worker.analysis;

import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.messaging.TopologyDeclarations;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The worker's listener container and the topology. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
class WorkerConfiguration {

	static final String ANALYSIS_CONTAINER_FACTORY = "analysisContainerFactory";

	/**
	 * Boot's listener defaults (manual ack, no requeue on reject) with the worker's concurrency and prefetch.
	 * Stopping lets the analyses in progress finish within the shutdown timeout and hands every prefetched,
	 * unstarted request back to the broker at once (force stop), instead of working through them.
	 */
	@Bean(ANALYSIS_CONTAINER_FACTORY)
	SimpleRabbitListenerContainerFactory analysisContainerFactory(SimpleRabbitListenerContainerFactoryConfigurer boot,
			ConnectionFactory connections, WorkerProperties properties) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		boot.configure(factory, connections);
		factory.setConcurrentConsumers(properties.effectiveConcurrency());
		factory.setMaxConcurrentConsumers(properties.effectiveConcurrency());
		factory.setPrefetchCount(properties.prefetch());
		factory.setForceStop(true);
		factory.setContainerCustomizer((container) -> container
			.setShutdownTimeout(properties.shutdownTimeout().toMillis()));
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	PixelAnalysis pixelAnalysis() {
		return ImageAnalyzer.create()::analyze;
	}

	/** The whole durable topology, so that whichever service reconnects first restores it. */
	@Bean
	Declarables dicomflowTopology(TopologyDeclarations topology) {
		return topology.durableTopology();
	}

}
