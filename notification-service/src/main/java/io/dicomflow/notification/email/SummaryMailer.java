package io.dicomflow.notification.email;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

import io.dicomflow.notification.NotificationProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Sends a {@link SummaryMail} (an upload's summary or a digest) over SMTP, retrying a short SMTP hiccup in place;
 * a longer outage throws, and the caller's transaction rolls back so the mail is tried again later.
 * <p>
 * Per message it only builds the message itself: the sender address is parsed once, the body is a plain
 * {@code multipart/alternative} (text and HTML, no nested mixed/related parts to build and for the server to
 * parse), and one SMTP connection is kept open and reused, so a mail costs neither a TCP connect, greeting and
 * login on both sides nor, on the embedded server, a new connection-handler thread. A connection the server
 * dropped is noticed by the send failing; the retry then connects afresh.
 */
@Component
class SummaryMailer implements DisposableBean {

	/** An idle connection older than this is checked (SMTP NOOP) before use rather than trusted. */
	private static final Duration TRUST_IDLE = Duration.ofSeconds(10);

	private final JavaMailSender mail;

	private final InternetAddress from;

	private final RetryTemplate smtpRetry;

	private final Counter sent;

	private final Counter failed;

	/**
	 * Jakarta Mail 2.1 looks its {@code StreamProvider} up for every body part, multipart, header block and
	 * {@code writeTo} (jakartaee/mail-api#699, #861): first the system property of this name, else a
	 * {@code ServiceLoader} scan of every jar on the class path, which was a third of the sending thread's CPU.
	 */
	static final String STREAM_PROVIDER_PROPERTY = "jakarta.mail.util.StreamProvider";

	static final String ANGUS_STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

	private Transport transport;

	private long lastUsed;

	SummaryMailer(JavaMailSender mail, NotificationProperties properties, MeterRegistry meters) {
		this.mail = mail;
		nameTheStreamProvider();
		try {
			this.from = new InternetAddress(properties.mailFrom(), true);
		}
		catch (AddressException ex) {
			throw new IllegalArgumentException("dicomflow.notification.mail-from is not an address: " + ex.getMessage());
		}
		this.smtpRetry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(properties.smtpRetries())
			.delay(properties.smtpInitialBackoff())
			.multiplier(2)
			.maxDelay(Duration.ofSeconds(30))
			.includes(MailException.class)
			.build());
		this.sent = Counter.builder("dicomflow.notifications.emails.sent").register(meters);
		this.failed = Counter.builder("dicomflow.notifications.emails.failed").register(meters);
	}

	/**
	 * Names Angus Mail's stream provider in the system property Jakarta Mail reads first, so that its per-part
	 * look-up is a loaded-class look-up instead of a class-path scan. JVM-wide on purpose (in the standalone,
	 * the embedded SMTP server parses with the same library); an operator's own setting is left alone, and
	 * nothing is set when Angus Mail is not the implementation on the class path.
	 */
	static void nameTheStreamProvider() {
		if (System.getProperty(STREAM_PROVIDER_PROPERTY) == null) {
			try {
				Class.forName(ANGUS_STREAM_PROVIDER, false, SummaryMailer.class.getClassLoader());
				System.setProperty(STREAM_PROVIDER_PROPERTY, ANGUS_STREAM_PROVIDER);
			}
			catch (ClassNotFoundException ex) {
				// another Jakarta Mail implementation: keep its service-loader look-up
			}
		}
	}

	void send(String recipient, SummaryMail content) {
		try {
			this.smtpRetry.execute(() -> {
				MimeMessage message = compose(recipient, content);
				if (this.mail instanceof JavaMailSenderImpl impl) {
					sendOverOpenConnection(impl, message);
				}
				else {
					this.mail.send(message);
				}
				return null;
			});
		}
		catch (RetryException ex) {
			this.failed.increment();
			throw new IllegalStateException("SMTP failed after retries: " + ex.getCause(), ex);
		}
		this.sent.increment();
	}

	MimeMessage compose(String recipient, SummaryMail content) {
		try {
			MimeMessage message = this.mail.createMimeMessage();
			message.setFrom(this.from);
			message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient, true));
			message.setSubject(content.subject(), StandardCharsets.UTF_8.name());
			message.setSentDate(new Date());
			MimeBodyPart text = new MimeBodyPart();
			text.setText(content.text(), StandardCharsets.UTF_8.name(), "plain");
			MimeBodyPart html = new MimeBodyPart();
			html.setText(content.html(), StandardCharsets.UTF_8.name(), "html");
			MimeMultipart alternative = new MimeMultipart("alternative");
			alternative.addBodyPart(text);
			alternative.addBodyPart(html);
			message.setContent(alternative);
			message.saveChanges();
			return message;
		}
		catch (MessagingException ex) {
			throw new MailPreparationException(ex);
		}
	}

	private synchronized void sendOverOpenConnection(JavaMailSenderImpl impl, MimeMessage message) {
		try {
			long now = System.nanoTime();
			if (this.transport != null && now - this.lastUsed > TRUST_IDLE.toNanos() && !this.transport.isConnected()) {
				close();
			}
			if (this.transport == null) {
				// the protocol as JavaMailSenderImpl chooses it: its own setting, the session's, else SMTP
				String protocol = impl.getProtocol();
				if (protocol == null) {
					protocol = impl.getSession().getProperty("mail.transport.protocol");
				}
				Transport fresh = impl.getSession().getTransport((protocol != null) ? protocol : "smtp");
				// as JavaMailSenderImpl does: an empty user name means no login
				String user = impl.getUsername();
				String password = impl.getPassword();
				if ("".equals(user)) {
					user = null;
					password = "".equals(password) ? null : password;
				}
				fresh.connect(impl.getHost(), impl.getPort(), user, password);
				this.transport = fresh;
			}
			this.transport.sendMessage(message, message.getAllRecipients());
			this.lastUsed = System.nanoTime();
		}
		catch (MessagingException | RuntimeException ex) {
			// the connection is in an unknown state: drop it, the retry connects afresh
			close();
			throw new MailSendException("SMTP send failed: " + ex.getMessage(), ex);
		}
	}

	@Override
	public void destroy() {
		close();
	}

	synchronized void close() {
		if (this.transport != null) {
			try {
				this.transport.close();
			}
			catch (MessagingException ex) {
				// already broken; nothing to release
			}
			this.transport = null;
		}
	}

}
