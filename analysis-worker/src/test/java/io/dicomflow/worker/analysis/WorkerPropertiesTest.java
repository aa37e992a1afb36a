package io.dicomflow.worker.analysis;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerPropertiesTest {

	private static WorkerProperties with(int prefetch, Duration analysisTimeout, Duration ackTimeout) {
		return new WorkerProperties(1, prefetch, null, analysisTimeout, ackTimeout, Duration.ofSeconds(30), "1");
	}

	@Test
	void theDefaultsStayInsideRabbitMqsDefaultAcknowledgementTimeout() {
		assertThat(with(2, Duration.ofMinutes(10), Duration.ofMinutes(30)).isInsideAckTimeout()).isTrue();
	}

	@Test
	void aPrefetchThatCouldKeepTheLastRequestWaitingPastTheTimeoutIsRefused() {
		assertThat(with(3, Duration.ofMinutes(10), Duration.ofMinutes(30)).isInsideAckTimeout()).isFalse();
		assertThat(with(1, Duration.ofMinutes(25), Duration.ofMinutes(30)).isInsideAckTimeout()).isFalse();
	}

	@Test
	void zeroConcurrencyMeansOneConsumerPerProcessor() {
		WorkerProperties properties = new WorkerProperties(0, 1, null, Duration.ofMinutes(1), Duration.ofMinutes(30),
				Duration.ofSeconds(1), "1");
		assertThat(properties.effectiveConcurrency()).isEqualTo(Runtime.getRuntime().availableProcessors());
	}

}
