package io.dicomflow.notification;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Notification settings.
 *
 * @param mailFrom sender address of notification emails
 * @param allowedOrigins browser origins allowed to open the WebSocket (patterns such as
 * {@code https://*.example.org} allowed); empty: the origin of {@code portalUrl}, or only the service's own
 * @param portalUrl link to the portal put in emails; empty for none
 * @param smtpRetries retries of a failed SMTP send before the event is handed back to the broker
 * @param smtpInitialBackoff wait before the first SMTP retry; doubles per retry, at most 30 s
 * @param digestWindow how long a user's digest stays open after the first upload joins it: every upload that is
 * not an explicit session and finishes within the window is listed in one email sent at its end, so a user gets
 * at most one digest per window however many uploads their modality sends
 * @param digestPollInterval how often each instance looks for digests that are due
 */
@Validated
@ConfigurationProperties("dicomflow.notification")
public record NotificationProperties(@DefaultValue("dicomflow@localhost") @NotBlank String mailFrom,
		@DefaultValue List<String> allowedOrigins, @DefaultValue("") String portalUrl,
		@DefaultValue("4") @Min(0) int smtpRetries, @DefaultValue("500ms") @NotNull Duration smtpInitialBackoff,
		@DefaultValue("5m") @NotNull Duration digestWindow, @DefaultValue("1s") @NotNull Duration digestPollInterval) {

	public NotificationProperties {
		if (digestWindow.isNegative()) {
			throw new IllegalArgumentException("dicomflow.notification.digest-window must not be negative");
		}
		if (digestPollInterval.isNegative() || digestPollInterval.isZero()) {
			throw new IllegalArgumentException("dicomflow.notification.digest-poll-interval must be positive");
		}
	}

}
