package io.dicomflow.notification.email;

import java.util.Optional;

import com.rabbitmq.client.Channel;
import io.dicomflow.common.events.AnalysisCompleted;
import io.dicomflow.common.events.AnalysisFailed;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.EventPayload;
import io.dicomflow.common.identity.UserDirectory;
import io.dicomflow.common.messaging.EventDelivery;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends one email per analysis event to its owner. The send log is checked before and written right after
 * sending; a crash in between is the only way to send twice, and it needs the process to die in that instant.
 */
@Component
class AnalysisEmailListener {

	private static final Logger log = LoggerFactory.getLogger(AnalysisEmailListener.class);

	private final JavaMailSender mail;

	private final UserDirectory users;

	private final JdbcTemplate jdbc;

	private final EventDelivery delivery;

	private final NotificationProperties properties;

	private final Counter sent;

	AnalysisEmailListener(JavaMailSender mail, UserDirectory users, JdbcTemplate jdbc, EventDelivery delivery,
			NotificationProperties properties, MeterRegistry meters) {
		this.mail = mail;
		this.users = users;
		this.jdbc = jdbc;
		this.delivery = delivery;
		this.properties = properties;
		this.sent = Counter.builder("dicomflow.notifications.emails.sent").register(meters);
	}

	@RabbitListener(queues = Topology.NOTIFICATIONS_EMAIL)
	void onAnalysisEvent(Message message, Channel channel) {
		this.delivery.deliver(message, channel, this::send);
	}

	private void send(EventEnvelope<? extends EventPayload> event) {
		if (!(event.payload() instanceof AnalysisCompleted || event.payload() instanceof AnalysisFailed)) {
			return;
		}
		String key = "analysis:" + event.eventId();
		if (alreadySent(key)) {
			return;
		}
		Optional<String> recipient = this.users.email(event.owner());
		if (recipient.isEmpty()) {
			log.info("No email address for the owner of event {}; skipping the email", event.eventId());
			return;
		}
		AnalysisMail content = AnalysisMail.of(event, this.properties.portalUrl());
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.properties.mailFrom());
		message.setTo(recipient.get());
		message.setSubject(content.subject());
		message.setText(content.text());
		this.mail.send(message);
		this.jdbc.update("insert into notification_email_log (send_key, recipient) values (?, ?) on conflict do nothing",
				key, recipient.get());
		this.sent.increment();
		log.info("Emailed the owner of upload {} about event {}", event.correlationId(), event.eventId());
	}

	private boolean alreadySent(String key) {
		Integer n = this.jdbc.queryForObject("select count(*) from notification_email_log where send_key = ?",
				Integer.class, key);
		return n != null && n > 0;
	}

}
