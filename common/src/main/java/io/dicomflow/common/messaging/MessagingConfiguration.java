package io.dicomflow.common.messaging;

import io.dicomflow.common.events.EventCodec;
import io.dicomflow.common.inbox.ConsumedEvents;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Event codec and topology for a service that talks to the broker. */
@Configuration(proxyBeanMethods = false)
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
	TopologyDeclarations topologyDeclarations(@Value("${dicomflow.amqp.broker:rabbitmq}") String broker) {
		return new TopologyDeclarations(BrokerFlavour.of(broker));
	}

}
