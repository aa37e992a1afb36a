package io.dicomflow.upload.status;

import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.messaging.TopologyDeclarations;

import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The upload service publishes to the uploads exchange and follows analysis outcomes on its own queue. */
@Configuration(proxyBeanMethods = false)
class StatusTopology {

	@Bean
	TopicExchange uploadsExchange(TopologyDeclarations topology) {
		return topology.uploadsExchange();
	}

	/** Declared here too so that an upload made before any worker ever started is routed, not returned. */
	@Bean
	Declarables analysisRequests(TopologyDeclarations topology) {
		return topology.analysisRequests();
	}

	@Bean
	Declarables uploadStatusQueue(TopologyDeclarations topology) {
		return topology.analysisOutcomes(Topology.UPLOAD_STATUS);
	}

}
