package io.dicomflow.upload.portal;

import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Tells the portal page where to sign in and where the other services' endpoints are. */
@RestController
@EnableConfigurationProperties(PortalProperties.class)
class PortalConfigController {

	private final PortalProperties properties;

	PortalConfigController(PortalProperties properties) {
		this.properties = properties;
	}

	/** Where the portal page signs in (authorization code with PKCE), listens for events and finds the worker. */
	@GetMapping("/api/config")
	Map<String, Object> config() {
		return Map.of("notificationsUrl", this.properties.notificationsUrl(), "issuer", this.properties.issuer(),
				"clientId", this.properties.clientId(), "workerUrl", this.properties.workerUrl(), "tusChunkSize",
				this.properties.tusChunkSize().toBytes());
	}

}
