package io.dicomflow.upload.portal;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the portal page where to sign in and where the notification service's WebSocket endpoint is. */
@RestController
class PortalConfigController {

	private final String notificationsUrl;

	private final String issuer;

	private final String clientId;

	PortalConfigController(@Value("${dicomflow.portal.notifications-url:}") String notificationsUrl,
			@Value("${dicomflow.portal.issuer:}") String issuer,
			@Value("${dicomflow.portal.client-id:dicomflow-portal}") String clientId) {
		this.notificationsUrl = notificationsUrl;
		this.issuer = issuer;
		this.clientId = clientId;
	}

	/** Where the portal page signs in (authorization code with PKCE) and where it listens for events. */
	@GetMapping("/api/config")
	Map<String, String> config() {
		return Map.of("notificationsUrl", this.notificationsUrl, "issuer", this.issuer, "clientId", this.clientId);
	}

}
