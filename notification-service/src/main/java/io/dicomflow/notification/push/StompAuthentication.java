package io.dicomflow.notification.push;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Authenticates a STOMP session from the {@code Authorization} header of its CONNECT frame (browsers cannot
 * set headers on the WebSocket handshake, but can on CONNECT), and lets a session subscribe only to its own
 * user destinations.
 */
class StompAuthentication implements ChannelInterceptor {

	private final AuthenticationManager authentication;

	StompAuthentication(AuthenticationManager authentication) {
		this.authentication = authentication;
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
		if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
			throw new MessageDeliveryException("CONNECT needs an Authorization: Basic header");
		}
		String decoded;
		try {
			decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new MessageDeliveryException("malformed Authorization header");
		}
		int colon = decoded.indexOf(':');
		if (colon < 0) {
			throw new MessageDeliveryException("malformed Authorization header");
		}
		try {
			return this.authentication.authenticate(UsernamePasswordAuthenticationToken
				.unauthenticated(decoded.substring(0, colon), decoded.substring(colon + 1)));
		}
		catch (AuthenticationException ex) {
			throw new MessageDeliveryException("bad credentials");
		}
	}

}
