package io.dicomflow.notification.push;

import java.time.Duration;
import java.util.List;

import io.dicomflow.notification.NotificationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which browser origins may open the WebSocket, from the settings. */
class WebSocketOriginsTest {

	private static NotificationProperties settings(List<String> allowedOrigins, String portalUrl) {
		return new NotificationProperties("dicomflow@localhost", allowedOrigins, portalUrl, 4, Duration.ofMillis(500),
				Duration.ofMinutes(5), Duration.ofSeconds(1));
	}

	@Test
	void configuredOriginsWin() {
		assertThat(WebSocketConfiguration.allowedOrigins(
				settings(List.of(" https://portal.example.org ", ""), "https://other.example.org/portal")))
			.containsExactly("https://portal.example.org");
	}

	@Test
	void withoutConfiguredOriginsThePortalsOwnOriginIsAllowed() {
		assertThat(WebSocketConfiguration.allowedOrigins(settings(List.of(), "http://127.0.0.1:8081/index.html")))
			.containsExactly("http://127.0.0.1:8081");
		assertThat(WebSocketConfiguration.allowedOrigins(settings(List.of(""), "https://dicomflow.example.org/")))
			.containsExactly("https://dicomflow.example.org");
	}

	@Test
	void withNeitherNoOtherOriginIsAllowed() {
		// an empty list leaves Spring's origin check to accept the service's own origin only, never "*"
		assertThat(WebSocketConfiguration.allowedOrigins(settings(List.of(), ""))).isEmpty();
	}

}
