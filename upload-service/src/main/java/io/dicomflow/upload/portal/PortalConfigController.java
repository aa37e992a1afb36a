package io.dicomflow.upload.portal;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the portal page where the notification service's WebSocket endpoint is. */
@RestController
class PortalConfigController {

	private final String notificationsUrl;

	PortalConfigController(@Value("${dicomflow.portal.notifications-url:}") String notificationsUrl) {
		this.notificationsUrl = notificationsUrl;
	}

	@GetMapping("/api/config")
	Map<String, String> config() {
		return Map.of("notificationsUrl", this.notificationsUrl);
	}

}
