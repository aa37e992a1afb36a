package io.dicomflow.common.outbox;

import io.dicomflow.common.events.EventCodec;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox and its relay, for a service that publishes events. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboxProperties.class)
public class OutboxConfiguration {

	@Bean
	OutboxRelay outboxRelay(JdbcTemplate jdbc, PlatformTransactionManager transactions, RabbitTemplate rabbit,
			JsonMapper json, OutboxProperties properties, MeterRegistry meters) {
		return new OutboxRelay(jdbc, new TransactionTemplate(transactions), rabbit, json, properties, meters);
	}

	@Bean
	Outbox outbox(JdbcTemplate jdbc, EventCodec codec, JsonMapper json, OutboxRelay relay) {
		return new Outbox(jdbc, codec, json, relay);
	}

}
