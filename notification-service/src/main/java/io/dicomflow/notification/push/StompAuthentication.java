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
 * frame (browsers cannot set headers on the WebSocket handshake, but can on CONNECT), and lets a session do
 * nothing but subscribe to its own events.
 *
 * <p>The only destination a client may name is {@value #SUBSCRIPTION}, compared as an exact string. A prefix
 * check is not enough: the simple broker matches subscriptions as Ant patterns with {@code {var:regex}}
 * segments, so a destination such as <code>/user/queue/{x:.*)|(.*}</code> would match every session's queue
 * and receive every user's events. Nothing is ever sent by clients (the product has no client-to-broker
 * messages), so SEND and the transaction frames are refused whatever their destination. A session is ended
 * when its token expires ({@link SessionExpiry}).
 */
class StompAuthentication implements ChannelInterceptor {

	/** The one subscription a client may make: its own analysis events. */
	static final String SUBSCRIPTION = "/user" + SessionCursors.DESTINATION;

	private final AuthenticationProvider tokens;

	private final SessionExpiry expiry;

	StompAuthentication(AuthenticationProvider tokens, SessionExpiry expiry) {
		this.tokens = tokens;
		this.expiry = expiry;
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (stomp == null || stomp.getCommand() == null) {
			// heartbeats carry no command
			return message;
		}
		switch (stomp.getCommand()) {
			// STOMP is CONNECT under its 1.1+ name; Spring handles both alike, so both must authenticate
			case CONNECT, STOMP -> {
				Authentication user = authenticate(stomp.getFirstNativeHeader("Authorization"));
				stomp.setUser(user);
				this.expiry.connected(stomp.getSessionId(), user);
			}
			case SUBSCRIBE -> {
				if (stomp.getUser() == null) {
					throw new MessageDeliveryException("SUBSCRIBE needs an authenticated session (CONNECT first)");
				}
				if (!SUBSCRIPTION.equals(stomp.getDestination())) {
					throw new MessageDeliveryException("the only destination is " + SUBSCRIPTION);
				}
			}
			case DISCONNECT -> this.expiry.ended(stomp.getSessionId());
			case UNSUBSCRIBE, ACK, NACK -> {
				// carry no destination; harmless for any session
			}
			default -> throw new MessageDeliveryException("this endpoint only sends; " + stomp.getCommand()
					+ " is not accepted");
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
