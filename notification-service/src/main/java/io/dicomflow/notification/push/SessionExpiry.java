package io.dicomflow.notification.push;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Ends a STOMP session when the token it connected with expires: the token was checked once, at CONNECT, and
 * a session would otherwise keep receiving events for as long as the connection lasts (a revoked or
 * downgraded user included). At expiry the session gets an ERROR frame, which makes Spring close the
 * WebSocket; the client reconnects with a fresh token (and {@code lastSeq}, so it misses nothing).
 */
@Component
class SessionExpiry {

	private static final Logger log = LoggerFactory.getLogger(SessionExpiry.class);

	private final MessageChannel toClients;

	private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "stomp-session-expiry");
		thread.setDaemon(true);
		return thread;
	});

	SessionExpiry(@Qualifier("clientOutboundChannel") MessageChannel toClients) {
		this.toClients = toClients;
	}

	/** A session authenticated with {@code user}: schedules its end at the token's expiry. */
	void connected(String sessionId, Authentication user) {
		Instant expiresAt = (user instanceof AbstractOAuth2TokenAuthenticationToken<?> token)
				? token.getToken().getExpiresAt() : null;
		if (sessionId == null || expiresAt == null) {
			return;
		}
		long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
		ScheduledFuture<?> previous = this.pending.put(sessionId,
				this.timer.schedule(() -> expire(sessionId), delay, TimeUnit.MILLISECONDS));
		if (previous != null) {
			previous.cancel(false);
		}
	}

	/** The session ended on its own. */
	void ended(String sessionId) {
		ScheduledFuture<?> task = (sessionId != null) ? this.pending.remove(sessionId) : null;
		if (task != null) {
			task.cancel(false);
		}
	}

	private void expire(String sessionId) {
		this.pending.remove(sessionId);
		StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.ERROR);
		error.setMessage("token expired; reconnect with a new token");
		error.setSessionId(sessionId);
		try {
			this.toClients.send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
			log.debug("STOMP session {} closed: its token expired", sessionId);
		}
		catch (RuntimeException ex) {
			log.warn("could not end STOMP session {} at its token's expiry", sessionId, ex);
		}
	}

	@PreDestroy
	void stop() {
		this.timer.shutdownNow();
	}

}
