package io.dicomflow.common.messaging;

import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.inbox.ConsumedEvents;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Event codec and topology for a service that talks to the broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AmqpProperties.class)
public class MessagingConfiguration {

	@Bean
	EventCodec eventCodec(JsonMapper json) {
		return new EventCodec(json);
	}

	@Bean
	ConsumedEvents consumedEvents(JdbcTemplate jdbc) {
		return new ConsumedEvents(jdbc);
	}

	@Bean
	EventDelivery eventDelivery(EventCodec codec) {
		return new EventDelivery(codec);
	}

	@Bean
	TopologyDeclarations topologyDeclarations(AmqpProperties properties) {
		return properties.topology();
	}

}
