package io.dicomflow.common.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Broker settings every service shares, because every service declares the whole topology.
 *
 * @param broker {@code rabbitmq} or {@code qpid} (the embedded broker)
 * @param analysisRetryDelays waits before the 2nd, 3rd, ... attempt at an analysis that failed transiently;
 * exponential by default, and their number bounds the attempts (delays + 1). Each delay is its own queue.
 */
@Validated
@ConfigurationProperties("dicomflow.amqp")
public record AmqpProperties(@DefaultValue("rabbitmq") @NotNull String broker,
		@DefaultValue({ "2s", "8s", "32s", "128s" }) @NotEmpty List<@NotNull Duration> analysisRetryDelays) {

	public TopologyDeclarations topology() {
		return new TopologyDeclarations(BrokerFlavour.of(this.broker), this.analysisRetryDelays);
	}

}
