package io.dicomflow.upload.portal;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * What the portal page needs to know about the other services, and what its Content-Security-Policy lets it reach.
 *
 * @param notificationsUrl the notification service's STOMP WebSocket ({@code ws://…/ws}); empty: no live updates
 * @param issuer the OpenID issuer the page signs in with
 * @param clientId the page's public client at that issuer
 * @param workerUrl the analysis worker's HTTP base URL, for the admin view's parked analyses; empty: not shown
 * @param tusChunkSize largest PATCH the page sends; a dropped connection loses at most the chunk in flight
 */
@Validated
@ConfigurationProperties("dicomflow.portal")
public record PortalProperties(@DefaultValue("") @NotNull String notificationsUrl, @DefaultValue("") @NotNull String issuer,
		@DefaultValue("dicomflow-portal") @NotNull String clientId, @DefaultValue("") @NotNull String workerUrl,
		@DefaultValue("8MB") @NotNull DataSize tusChunkSize) {
}
