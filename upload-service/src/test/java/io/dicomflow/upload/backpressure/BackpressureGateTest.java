package io.dicomflow.upload.backpressure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate's decision; the measurements themselves are proven on real infrastructure in BackpressureIT. */
class BackpressureGateTest {

	@Test
	void closesAboveEitherLimitAndOpensAgainOnceTheMeasurementIsRenewed() {
		AtomicLong pending = new AtomicLong(10);
		AtomicLong depth = new AtomicLong(0);
		BackpressureGate gate = new BackpressureGate(
				new BackpressureProperties(true, 10, 5, Duration.ofSeconds(7), Duration.ZERO), pending::get, depth::get);
		assertThat(gate.overloaded()).as("at the limit").isFalse();
		pending.set(11);
		assertThat(gate.overloaded()).as("outbox above").isTrue();
		pending.set(0);
		depth.set(6);
		assertThat(gate.overloaded()).as("queue above").isTrue();
		depth.set(5);
		assertThat(gate.overloaded()).isFalse();
		assertThat(gate.retryAfter()).hasSeconds(7);
	}

	@Test
	void disabledNeverCloses() {
		BackpressureGate gate = new BackpressureGate(
				new BackpressureProperties(false, 0, 0, Duration.ofSeconds(1), Duration.ZERO), () -> 100, () -> 100);
		assertThat(gate.overloaded()).isFalse();
	}

}
