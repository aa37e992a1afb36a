package io.dicomflow.notification.email;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.dicomflow.notification.NotificationProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test but a measuring driver (its name matches no test pattern, so the build never runs it): the CPU of
 * this whole JVM, sender and an in-process GreenMail SMTP server together (their per-connection threads and GC
 * included), per summary email, for the previous way of sending (MimeMessageHelper's mixed/related/alternative
 * nesting, a new SMTP connection and login per mail) and for {@link SummaryMailer}. Run:
 * {@code ./mvnw -B -q -pl notification-service -am test -Dtest=MailPathCostBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MailPathCostBench {

	private static final int WARM_UP = 300;

	private static final int MAILS = 1000;

	@Test
	void cpuPerSummaryEmail() throws Exception {
		GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
		smtp.withConfiguration(GreenMailConfiguration.aConfig().withUser("dicomflow", "dicomflow"));
		smtp.start();
		try {
			JavaMailSenderImpl sender = new JavaMailSenderImpl();
			sender.setHost("127.0.0.1");
			sender.setPort(smtp.getSmtp().getPort());
			sender.setUsername("dicomflow");
			sender.setPassword("dicomflow");
			sender.getJavaMailProperties().put("mail.smtp.auth", "true");
			NotificationProperties properties = new NotificationProperties("dicomflow@localhost", List.of("*"), "", 0,
					Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(1));
			SummaryMailer mailer = new SummaryMailer(sender, properties, new SimpleMeterRegistry());
			SummaryMail content = SummaryMail.of(new UploadSummary(UUID.randomUUID(),
					List.of(new UploadSummary.FileOutcome(UUID.randomUUID(), UUID.randomUUID(), "DONE",
							"1.2.826.0.1.3680043.10.1.1", "r-1", "bench", 262144L, 512.5, 0.25, null, null))), "");
			Runnable previous = () -> {
				try {
					MimeMessage message = sender.createMimeMessage();
					MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
					helper.setFrom("dicomflow@localhost");
					helper.setTo("bob@dicomflow.test");
					helper.setSubject(content.subject());
					helper.setText(content.text(), content.html());
					sender.send(message);
				}
				catch (jakarta.mail.MessagingException ex) {
					throw new IllegalStateException(ex);
				}
			};
			Runnable current = () -> mailer.send("bob@dicomflow.test", content);
			for (int round = 0; round < 2; round++) {
				// the previous way had no stream provider named (see SummaryMailer.nameTheStreamProvider)
				System.clearProperty(SummaryMailer.STREAM_PROVIDER_PROPERTY);
				report("previous (helper, connection per mail)", previous, smtp);
				report("SummaryMailer without the provider named", current, smtp);
				SummaryMailer.nameTheStreamProvider();
				report("SummaryMailer (flat alternative, reused connection)", current, smtp);
			}
			mailer.destroy();
		}
		finally {
			smtp.stop();
		}
	}

	private static void report(String label, Runnable send, GreenMail smtp) throws Exception {
		for (int i = 0; i < WARM_UP; i++) {
			send.run();
		}
		int before = smtp.getReceivedMessages().length;
		System.gc();
		long cpu0 = processCpu();
		long t0 = System.nanoTime();
		for (int i = 0; i < MAILS; i++) {
			send.run();
		}
		// the server stores a mail after answering the sender: wait until all arrived
		while (smtp.getReceivedMessages().length < before + MAILS) {
			Thread.sleep(5);
		}
		long cpu = processCpu() - cpu0;
		System.out.printf("MailPathCostBench %-54s %.3f ms CPU per mail (%.1f s wall for %d)%n", label,
				cpu / 1e6 / MAILS, (System.nanoTime() - t0) / 1e9, MAILS);
		smtp.purgeEmailFromAllMailboxes();
		assertThat(cpu).isPositive();
	}

	private static long processCpu() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

}
