package io.dicomflow.common.inbox;

import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** The set of (consumer, event id) pairs already acted on, kept in table {@code consumed_event}. */
public class ConsumedEvents {

	private final JdbcTemplate jdbc;

	public ConsumedEvents(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims the event for this consumer inside the caller's transaction.
	 * @return true the first time, false if this consumer already acted on the event
	 */
	public boolean claim(String consumer, UUID eventId) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("ConsumedEvents.claim needs the caller's transaction");
		}
		return this.jdbc.update("insert into consumed_event (consumer, event_id) values (?, ?) on conflict do nothing",
				consumer, eventId) == 1;
	}

}
