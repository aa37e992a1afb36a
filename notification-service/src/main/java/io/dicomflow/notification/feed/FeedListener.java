package io.dicomflow.notification.feed;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.common.messaging.Topology;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Writes every user event into its owner's feed from the durable, competing-consumer queue, so the feed is
 * complete even while no instance has a session of that user (or no instance runs at all).
 */
@Component
class FeedListener {

	private final UserFeed feed;

	private final EventDelivery delivery;

	FeedListener(UserFeed feed, EventDelivery delivery) {
		this.feed = feed;
		this.delivery = delivery;
	}

	@RabbitListener(queues = Topology.NOTIFICATIONS_FEED)
	void onEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, (event) -> {
			if (UserFeed.isFeedEvent(event.payload())) {
				this.feed.append(event);
			}
		});
	}

}
