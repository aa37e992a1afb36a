package io.dicomflow.notification.push;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * Authenticates a STOMP session from the bearer token in the {@code Authorization} header of its CONNECT
 * frame (browsers cannot set headers on the WebSocket handshake, but can on CONNECT), and lets a session
 * subscribe only to its own user destinations.
 */
class StompAuthentication implements ChannelInterceptor {

	private final AuthenticationProvider tokens;

	StompAuthentication(AuthenticationProvider tokens) {
		this.tokens = tokens;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (stomp == null || stomp.getCommand() == null) {
			return message;
		}
		if (stomp.getCommand() == StompCommand.CONNECT) {
			stomp.setUser(authenticate(stomp.getFirstNativeHeader("Authorization")));
		}
		else if (stomp.getCommand() == StompCommand.SUBSCRIBE) {
			String destination = stomp.getDestination();
			if (stomp.getUser() == null || destination == null || !destination.startsWith("/user/")) {
				throw new MessageDeliveryException("only /user/... destinations may be subscribed to");
			}
		}
		else if (stomp.getCommand() == StompCommand.SEND) {
			throw new MessageDeliveryException("this endpoint only sends");
		}
		return message;
	}

	private Authentication authenticate(String header) {
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			throw new MessageDeliveryException("CONNECT needs an Authorization: Bearer header");
		}
		try {
			return this.tokens.authenticate(new BearerTokenAuthenticationToken(header.substring(7).trim()));
		}
		catch (AuthenticationException ex) {
			throw new MessageDeliveryException("invalid token");
		}
	}

}
