package io.dicomflow.notification.email;

import io.dicomflow.common.messaging.TopologyDeclarations;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EmailTopology {

	/** The whole durable topology, so that whichever service reconnects first restores it. */
	@Bean
	Declarables dicomflowTopology(TopologyDeclarations topology) {
		return topology.durableTopology();
	}

}
