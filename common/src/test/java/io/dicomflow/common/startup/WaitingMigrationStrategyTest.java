package io.dicomflow.common.startup;

import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WaitingMigrationStrategyTest {

	private static final StartupProperties QUICK = new StartupProperties(Duration.ofSeconds(5), Duration.ofMillis(10));

	/** A Flyway whose migrate() fails with the queued failures, in order, then succeeds. */
	static final class ScriptedFlyway extends Flyway {

		final Deque<RuntimeException> failures = new ArrayDeque<>();

		final AtomicInteger calls = new AtomicInteger();

		ScriptedFlyway() {
			super(Flyway.configure());
		}

		@Override
		public MigrateResult migrate() {
			this.calls.incrementAndGet();
			RuntimeException next = this.failures.poll();
			if (next != null) {
				throw next;
			}
			return null;
		}

	}

	private static FlywayException connectionFailure(String sqlState) {
		return new FlywayException("Unable to obtain connection from database",
				new SQLException("Connection to 127.0.0.1:5432 refused", sqlState, new ConnectException("refused")));
	}

	@Test
	void waitsWhileTheDatabaseIsUnreachableThenMigrates() {
		ScriptedFlyway flyway = new ScriptedFlyway();
		flyway.failures.add(connectionFailure("08001"));
		flyway.failures.add(new FlywayException("the database system is starting up",
				new SQLException("the database system is starting up", "57P03")));
		flyway.failures.add(connectionFailure("08006"));

		new WaitingMigrationStrategy(QUICK).migrate(flyway);

		assertThat(flyway.calls).hasValue(4);
	}

	@Test
	void failsAtOnceOnAFailureThatWaitingWouldNotCure() {
		ScriptedFlyway flyway = new ScriptedFlyway();
		flyway.failures.add(connectionFailure("08001"));
		FlywayException badPassword = new FlywayException("password authentication failed",
				new SQLException("password authentication failed for user", "28P01"));
		flyway.failures.add(badPassword);

		assertThatThrownBy(() -> new WaitingMigrationStrategy(QUICK).migrate(flyway)).isSameAs(badPassword);
		assertThat(flyway.calls).hasValue(2);
	}

	@Test
	void givesUpWithTheLastFailureOnceTheWaitIsOver() {
		ScriptedFlyway flyway = new ScriptedFlyway();
		for (int i = 0; i < 1000; i++) {
			flyway.failures.add(connectionFailure("08001"));
		}
		StartupProperties shortWait = new StartupProperties(Duration.ofMillis(300), Duration.ofMillis(50));
		long start = System.nanoTime();

		assertThatThrownBy(() -> new WaitingMigrationStrategy(shortWait).migrate(flyway))
			.isInstanceOf(FlywayException.class)
			.hasMessageContaining("Unable to obtain connection");

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(flyway.calls.get()).isBetween(3, 8);
	}

	@Test
	void recognisesAConnectionFailureOnlyByItsStateOrARefusedConnection() {
		assertThat(WaitingMigrationStrategy.unreachable(new RuntimeException(new ConnectException("refused")))).isTrue();
		assertThat(WaitingMigrationStrategy.unreachable(connectionFailure("08001"))).isTrue();
		assertThat(WaitingMigrationStrategy.unreachable(
				new FlywayException("x", new SQLException("relation does not exist", "42P01")))).isFalse();
		assertThat(WaitingMigrationStrategy.unreachable(new FlywayException("Validate failed: checksum mismatch")))
			.isFalse();
	}

}
