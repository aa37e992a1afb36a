package io.dicomflow.common.startup;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Runs the Flyway migration, the first thing of a service's start-up that needs the database, and while the
 * database cannot be reached at all retries it every {@code databaseRetryInterval} for up to
 * {@code databaseWait}. Any other failure (a migration that does not apply, a checksum mismatch, bad
 * credentials) fails the start at once, as without this strategy: waiting would not cure it.
 */
public class WaitingMigrationStrategy implements FlywayMigrationStrategy {

	private static final Logger log = LoggerFactory.getLogger(WaitingMigrationStrategy.class);

	private final StartupProperties properties;

	public WaitingMigrationStrategy(StartupProperties properties) {
		this.properties = properties;
	}

	@Override
	public void migrate(Flyway flyway) {
		long deadline = System.nanoTime() + this.properties.databaseWait().toNanos();
		Duration pause = this.properties.databaseRetryInterval();
		int attempt = 0;
		while (true) {
			attempt++;
			try {
				flyway.migrate();
				if (attempt > 1) {
					log.info("Database reachable after {} attempts; migrations applied", attempt);
				}
				return;
			}
			catch (RuntimeException ex) {
				if (!unreachable(ex) || System.nanoTime() + pause.toNanos() > deadline) {
					throw ex;
				}
				log.warn("Database not reachable yet (attempt {}: {}); retrying in {} ms", attempt, rootMessage(ex),
						pause.toMillis());
				sleep(pause);
			}
		}
	}

	/**
	 * True when the failure is that no connection could be made: SQLState class 08 (connection exception),
	 * 57P03 (cannot connect now: the server is starting or shutting down), or a refused TCP connection.
	 */
	static boolean unreachable(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() == t) ? null : t.getCause()) {
			if (t instanceof ConnectException) {
				return true;
			}
			if (t instanceof SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P03"))) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable failure) {
		Throwable t = failure;
		while (t.getCause() != null && t.getCause() != t) {
			t = t.getCause();
		}
		return t.getClass().getSimpleName() + ": " + t.getMessage();
	}

	private static void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the database", ex);
		}
	}

}
