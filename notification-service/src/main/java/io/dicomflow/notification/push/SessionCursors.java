package io.dicomflow.notification.push;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dicomflow.notification.feed.FeedEntry;
import io.dicomflow.notification.feed.UserFeed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/**
 * What each subscribed session on this instance has been sent, as the last feed sequence number. A session is
 * sent feed entries strictly in order and each once: a live event right after the last one sent goes out as
 * is; one further ahead first brings the entries in between from the feed (another instance numbered them,
 * or they raced this one); one already sent (a replay overlapped it) is skipped.
 */
@Component
class SessionCursors {

	/** Where clients subscribe, under their {@code /user} prefix. */
	static final String DESTINATION = "/queue/analyses";

	private final Map<String, Cursor> sessions = new ConcurrentHashMap<>();

	private final UserFeed feed;

	private final SimpMessagingTemplate stomp;

	private final Counter pushed;

	SessionCursors(UserFeed feed, SimpMessagingTemplate stomp, MeterRegistry meters) {
		this.feed = feed;
		this.stomp = stomp;
		this.pushed = Counter.builder("dicomflow.notifications.pushed").register(meters);
		Gauge.builder("dicomflow.notifications.sessions", this.sessions, Map::size)
			.description("STOMP sessions subscribed to their events on this instance")
			.register(meters);
	}

	private static final class Cursor {

		final String user;

		/** Whether the session's user may read analysis figures (an uploader gets states only). */
		final boolean seesResults;

		long lastSent;

		Cursor(String user, boolean seesResults, long lastSent) {
			this.user = user;
			this.seesResults = seesResults;
			this.lastSent = lastSent;
		}

	}

	/**
	 * A session subscribed: replays what it missed after {@code lastSeq}, or, without one, starts at the
	 * current end of the feed (only new events). A session whose user may not read results gets each entry
	 * without its figures ({@link FeedEntry#withoutResults()}), as the HTTP feed gives it.
	 */
	void subscribed(String sessionId, String user, boolean seesResults, Long lastSeq) {
		long start = (lastSeq != null) ? Math.max(0, lastSeq) : this.feed.head(user);
		Cursor cursor = new Cursor(user, seesResults, start);
		synchronized (cursor) {
			this.sessions.put(sessionId, cursor);
			catchUp(sessionId, cursor, Long.MAX_VALUE);
		}
	}

	void unsubscribed(String sessionId) {
		this.sessions.remove(sessionId);
	}

	/** @return the number of this instance's sessions the entry was sent to */
	int deliver(String user, FeedEntry entry) {
		int sent = 0;
		for (Map.Entry<String, Cursor> session : this.sessions.entrySet()) {
			Cursor cursor = session.getValue();
			if (!cursor.user.equals(user)) {
				continue;
			}
			synchronized (cursor) {
				if (entry.seq() <= cursor.lastSent) {
					continue;
				}
				if (entry.seq() > cursor.lastSent + 1) {
					catchUp(session.getKey(), cursor, entry.seq() - 1);
				}
				if (entry.seq() == cursor.lastSent + 1) {
					send(session.getKey(), cursor, entry);
					sent++;
				}
			}
		}
		return sent;
	}

	private void catchUp(String sessionId, Cursor cursor, long upTo) {
		List<FeedEntry> missed = (upTo == Long.MAX_VALUE) ? this.feed.after(cursor.user, cursor.lastSent, 10_000)
				: this.feed.between(cursor.user, cursor.lastSent, upTo);
		for (FeedEntry entry : missed) {
			if (entry.seq() == cursor.lastSent + 1) {
				send(sessionId, cursor, entry);
			}
		}
	}

	/** To this one session only: the session id header makes the user destination resolve to it alone. */
	private void send(String sessionId, Cursor cursor, FeedEntry entry) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setSessionId(sessionId);
		headers.setNativeHeader("seq", Long.toString(entry.seq()));
		headers.setNativeHeader("event-type", entry.type());
		headers.setLeaveMutable(true);
		this.stomp.convertAndSendToUser(cursor.user, DESTINATION, entry.forReader(cursor.seesResults),
				headers.getMessageHeaders());
		cursor.lastSent = entry.seq();
		this.pushed.increment();
	}

}
