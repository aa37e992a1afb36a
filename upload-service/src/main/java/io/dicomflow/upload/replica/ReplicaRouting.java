package io.dicomflow.upload.replica;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;

/**
 * The two pools and the data source the application uses. {@link LazyConnectionDataSourceProxy} takes a
 * physical connection only at the first statement, by when the transaction manager has marked the
 * connection read-only or not: read-only goes to the {@link ReadRouter}, everything else to the primary.
 */
class ReplicaRouting implements AutoCloseable {

	private final HikariDataSource primary;

	private final HikariDataSource replica;

	private final LazyConnectionDataSourceProxy dataSource;

	ReplicaRouting(HikariDataSource primary, ReplicaProperties properties, WriteMarkers markers, MeterRegistry meters) {
		this.primary = primary;
		this.replica = new HikariDataSource();
		this.replica.setPoolName("replica");
		this.replica.setJdbcUrl(properties.url());
		boolean ownCredentials = properties.username() != null && !properties.username().isBlank();
		this.replica.setUsername(ownCredentials ? properties.username() : primary.getUsername());
		this.replica.setPassword(ownCredentials ? properties.password() : primary.getPassword());
		this.replica.setReadOnly(true);
		this.replica.setMaximumPoolSize(properties.maximumPoolSize());
		this.replica.setMinimumIdle(1);
		this.replica.setConnectionTimeout(Math.max(250, properties.connectTimeout().toMillis()));
		// the application starts (and reads from the primary) while the replica is down
		this.replica.setInitializationFailTimeout(-1);
		this.dataSource = new LazyConnectionDataSourceProxy(primary);
		this.dataSource.setReadOnlyDataSource(
				new ReadRouter(primary, this.replica, markers, properties.retryAfter(), meters, Clock.systemUTC()));
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	DataSource primary() {
		return this.primary;
	}

	@Override
	public void close() {
		this.replica.close();
		this.primary.close();
	}

}
