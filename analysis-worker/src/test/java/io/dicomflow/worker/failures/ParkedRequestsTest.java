package io.dicomflow.worker.failures;

import java.util.HashMap;
import java.util.List;
import java.util.Set;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.dicomflow.common.messaging.Topology;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.ChannelCallback;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The settlement of the parking queue's deliveries when an operator re-queues some of them: each re-queued one is
 * acknowledged once, the ones left parked are handed back, and no acknowledged delivery is handed back too (the
 * broker closes the channel on a tag it no longer knows, which the portal's admin re-queue showed in the log).
 */
class ParkedRequestsTest {

	private final Channel channel = mock(Channel.class);

	private final FailedRequests failed = mock(FailedRequests.class);

	private ParkedRequests parked;

	@BeforeEach
	void parkingQueueOfTwo() throws Exception {
		RabbitTemplate rabbit = mock(RabbitTemplate.class);
		when(rabbit.execute(any())).thenAnswer((call) -> ((ChannelCallback<?>) call.getArgument(0)).doInRabbit(this.channel));
		when(this.channel.basicGet(Topology.ANALYSIS_PARKING, false)).thenReturn(delivery(1, "first"),
				delivery(2, "second"), null);
		this.parked = new ParkedRequests(rabbit, this.failed, null);
	}

	@Test
	void requeuingTheLastOneHandsBackOnlyTheOneLeftParked() throws Exception {
		List<String> requeued = this.parked.requeue(Set.of("second"));

		assertThat(requeued).containsExactly("second");
		verify(this.channel).basicAck(2, false);
		verify(this.channel).basicNack(1, true, true);
		verify(this.channel, never()).basicNack(eq(2L), anyBoolean(), anyBoolean());
		verify(this.channel, never()).basicAck(eq(1L), anyBoolean());
	}

	@Test
	void requeuingAllHandsNothingBack() throws Exception {
		List<String> requeued = this.parked.requeue(Set.of());

		assertThat(requeued).containsExactly("first", "second");
		verify(this.channel).basicAck(1, false);
		verify(this.channel).basicAck(2, false);
		verify(this.channel, never()).basicNack(anyLong(), anyBoolean(), anyBoolean());
	}

	@Test
	void requeuingTheFirstHandsBackTheSecond() throws Exception {
		List<String> requeued = this.parked.requeue(Set.of("first"));

		assertThat(requeued).containsExactly("first");
		verify(this.channel).basicAck(1, false);
		verify(this.channel).basicNack(2, true, true);
	}

	private static GetResponse delivery(long tag, String messageId) {
		AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId(messageId)
			.headers(new HashMap<>())
			.build();
		return new GetResponse(new Envelope(tag, false, "", Topology.ANALYSIS_PARKING), props, new byte[] { '{', '}' },
				0);
	}

}
