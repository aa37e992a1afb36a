package io.dicomflow.notification.push;

import java.net.URI;
import java.util.List;

import io.dicomflow.notification.NotificationProperties;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/** STOMP endpoint {@code /ws} with an in-memory broker for {@code /queue} user destinations. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class WebSocketConfiguration implements WebSocketMessageBrokerConfigurer {

	private final StompAuthentication authentication;

	private final NotificationProperties properties;

	private final SubscriptionReplay replay;

	WebSocketConfiguration(JwtAuthenticationProvider tokens, NotificationProperties properties,
			@Lazy SessionCursors cursors, @Lazy SessionExpiry expiry) {
		this.authentication = new StompAuthentication(tokens, expiry);
		this.properties = properties;
		this.replay = new SubscriptionReplay(cursors);
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		// a refused frame is answered with ERROR and the connection closed (STOMP 1.2 "ERROR"), not left open
		// for the next attempt
		registry.setErrorHandler(new StompSubProtocolErrorHandler());
		registry.addEndpoint("/ws").setAllowedOriginPatterns(allowedOrigins(this.properties).toArray(String[]::new));
	}

	/**
	 * Browser origins allowed to open the WebSocket: the configured ones, else the portal's own origin (from
	 * {@code portal-url}), else none but the service's own. A page of another site could otherwise open a
	 * session with a token it got hold of, and a wildcard gives up the browser's one check of who is calling.
	 * Clients that send no {@code Origin} (non-browser ones) are not affected.
	 */
	static List<String> allowedOrigins(NotificationProperties properties) {
		List<String> configured = properties.allowedOrigins()
			.stream()
			.map(String::trim)
			.filter((origin) -> !origin.isEmpty())
			.toList();
		if (!configured.isEmpty()) {
			return configured;
		}
		if (properties.portalUrl() != null && !properties.portalUrl().isBlank()) {
			URI portal = URI.create(properties.portalUrl().trim());
			String port = (portal.getPort() != -1) ? ":" + portal.getPort() : "";
			return List.of(portal.getScheme() + "://" + portal.getHost() + port);
		}
		return List.of();
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/queue");
		registry.setUserDestinationPrefix("/user");
		// the outbound channel's thread pool would otherwise reorder a session's messages (a replay followed
		// by live events must reach the client in feed order)
		registry.setPreservePublishOrder(true);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.authentication, this.replay);
	}

}
