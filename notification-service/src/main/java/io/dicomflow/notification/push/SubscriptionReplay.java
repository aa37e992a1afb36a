package io.dicomflow.notification.push;

import io.dicomflow.common.identity.Roles;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.core.Authentication;

/**
 * Starts a session's cursor once its subscription to {@code /user/queue/analyses} is in place: after the
 * user destination handler has registered it with the broker (earlier, a replayed message would find no
 * subscription and be dropped). The {@code lastSeq} header of SUBSCRIBE says where the client's feed ends.
 */
class SubscriptionReplay implements ExecutorChannelInterceptor {

	private final SessionCursors cursors;

	SubscriptionReplay(SessionCursors cursors) {
		this.cursors = cursors;
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			Exception ex) {
		if (ex != null || !(handler instanceof UserDestinationMessageHandler)) {
			return;
		}
		StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (stomp == null || stomp.getCommand() == null || stomp.getSessionId() == null) {
			return;
		}
		if (stomp.getCommand() == StompCommand.SUBSCRIBE && stomp.getUser() != null
				&& ("/user" + SessionCursors.DESTINATION).equals(stomp.getDestination())) {
			this.cursors.subscribed(stomp.getSessionId(), stomp.getUser().getName(),
					stomp.getUser() instanceof Authentication user && Roles.mayReadResults(user), lastSeq(stomp));
		}
		else if (stomp.getCommand() == StompCommand.UNSUBSCRIBE || stomp.getCommand() == StompCommand.DISCONNECT) {
			this.cursors.unsubscribed(stomp.getSessionId());
		}
	}

	private static Long lastSeq(StompHeaderAccessor stomp) {
		String value = stomp.getFirstNativeHeader("lastSeq");
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
