package io.dicomflow.upload.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.AbstractDataSource;

/**
 * The data source of read-only transactions: a replica connection when the replica is up and has replayed
 * the caller's last write, else a primary connection. Each decision is counted in
 * {@code dicomflow.datasource.reads} with tags {@code target} (replica, primary) and {@code reason}.
 */
class ReadRouter extends AbstractDataSource {

	static final String METER = "dicomflow.datasource.reads";

	private static final Logger log = LoggerFactory.getLogger(ReadRouter.class);

	private final DataSource primary;

	private final DataSource replica;

	private final WriteMarkers markers;

	private final Duration retryAfter;

	private final MeterRegistry meters;

	private final Clock clock;

	/** Until when the replica is skipped after a failure (epoch millis); 0 while it is considered up. */
	private volatile long downUntil;

	ReadRouter(DataSource primary, DataSource replica, WriteMarkers markers, Duration retryAfter, MeterRegistry meters,
			Clock clock) {
		this.primary = primary;
		this.replica = replica;
		this.markers = markers;
		this.retryAfter = retryAfter;
		this.meters = (meters != null) ? meters : Metrics.globalRegistry;
		this.clock = clock;
	}

	@Override
	public Connection getConnection() throws SQLException {
		if (this.downUntil > this.clock.millis()) {
			return primary("replica-down");
		}
		Connection connection;
		long replayed;
		try {
			connection = this.replica.getConnection();
		}
		catch (SQLException ex) {
			return replicaFailed(ex);
		}
		try {
			// one round trip that both proves the connection alive and tells how far the replica is
			replayed = replayed(connection);
		}
		catch (SQLException | RuntimeException ex) {
			closeQuietly(connection);
			return replicaFailed(ex);
		}
		Optional<String> caller = WriteMarkers.currentCaller();
		Optional<Long> needed = caller.flatMap(this.markers::pending);
		if (needed.isPresent()) {
			if (replayed < needed.get()) {
				closeQuietly(connection);
				return primary("replica-behind");
			}
			this.markers.replayed(caller.get(), replayed);
		}
		if (this.downUntil != 0) {
			this.downUntil = 0;
			log.info("Read replica reachable again; read-only transactions use it");
		}
		count("replica", "replica");
		return connection;
	}

	/** {@code pg_last_wal_replay_lsn()}; a server that is not a standby has none and is refused as a replica. */
	private static long replayed(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery("select pg_last_wal_replay_lsn()::text")) {
			rs.next();
			String lsn = rs.getString(1);
			if (lsn == null) {
				throw new SQLException("the configured replica is not a standby (no WAL replay position)");
			}
			return Lsn.parse(lsn);
		}
	}

	private Connection replicaFailed(Exception ex) throws SQLException {
		if (this.downUntil == 0) {
			log.warn("Read replica unavailable, reads go to the primary for {} before the next try: {}", this.retryAfter,
					ex.toString());
		}
		this.downUntil = this.clock.millis() + this.retryAfter.toMillis();
		return primary("replica-down");
	}

	private Connection primary(String reason) throws SQLException {
		count("primary", reason);
		return this.primary.getConnection();
	}

	private void count(String target, String reason) {
		this.meters.counter(METER, "target", target, "reason", reason).increment();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		throw new SQLException("ReadRouter uses the configured credentials");
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// the pool drops a broken connection on its own
		}
	}

}
