package io.dicomflow.notification.push;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.notification.feed.FeedEntry;
import io.dicomflow.notification.feed.UserFeed;
import io.dicomflow.notification.notified.NotifiedFiles;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Every instance hears every user event on its own queue: it gives the event its feed number (or reads the
 * one it already has) and sends it to the owner's sessions connected to this instance. A file whose outcome
 * reached an open session counts as notified.
 */
@Component
class AnalysisPushListener {

	private final UserFeed feed;

	private final SessionCursors sessions;

	private final NotifiedFiles notified;

	private final EventDelivery delivery;

	AnalysisPushListener(UserFeed feed, SessionCursors sessions, NotifiedFiles notified, EventDelivery delivery) {
		this.feed = feed;
		this.sessions = sessions;
		this.notified = notified;
		this.delivery = delivery;
	}

	@RabbitListener(queues = "#{@" + PushTopology.PUSH_QUEUE_BEAN + ".name}")
	void onEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::push);
	}

	private void push(EventEnvelope<? extends EventPayload> event) {
		if (!UserFeed.isFeedEvent(event.payload())) {
			return;
		}
		FeedEntry entry = this.feed.append(event);
		int sent = this.sessions.deliver(event.owner(), entry);
		if (sent > 0) {
			if (event.payload() instanceof AnalysisCompleted done) {
				this.notified.pushed(event, done.uploadId(), done.fileId());
			}
			else if (event.payload() instanceof AnalysisFailed failed) {
				this.notified.pushed(event, failed.uploadId(), failed.fileId());
			}
		}
	}

}
