package io.dicomflow.notification.preferences;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Each user's notification choices; without a row of theirs, the defaults (emails on). */
@Component
public class NotificationPreferences {

	private final JdbcTemplate jdbc;

	NotificationPreferences(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	public boolean emailEnabled(String owner) {
		List<Boolean> enabled = this.jdbc.queryForList(
				"select email_enabled from notification_preference where owner = ?", Boolean.class, owner);
		return enabled.isEmpty() || enabled.get(0);
	}

	public void setEmailEnabled(String owner, boolean enabled) {
		this.jdbc.update("insert into notification_preference (owner, email_enabled) values (?, ?) "
				+ "on conflict (owner) do update set email_enabled = excluded.email_enabled, updated_at = now()", owner,
				enabled);
	}

}
