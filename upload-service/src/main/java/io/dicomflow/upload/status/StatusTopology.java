package io.dicomflow.upload.status;

import io.dicomflow.common.messaging.TopologyDeclarations;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The whole durable topology, so that whichever service reconnects first restores it (see TopologyDeclarations). */
@Configuration(proxyBeanMethods = false)
class StatusTopology {

	@Bean
	Declarables dicomflowTopology(TopologyDeclarations topology) {
		return topology.durableTopology();
	}

}
