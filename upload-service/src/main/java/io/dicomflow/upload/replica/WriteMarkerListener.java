package io.dicomflow.upload.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * After a caller's read-write transaction commits, remembers the primary's WAL position for that caller.
 * Taken after the commit returned, so it is at or past the commit record.
 */
class WriteMarkerListener implements TransactionExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(WriteMarkerListener.class);

	private final DataSource primary;

	private final WriteMarkers markers;

	WriteMarkerListener(DataSource primary, WriteMarkers markers) {
		this.primary = primary;
		this.markers = markers;
	}

	@Override
	public void afterCommit(TransactionExecution transaction, @Nullable Throwable commitFailure) {
		if (commitFailure != null || transaction.isReadOnly()) {
			return;
		}
		WriteMarkers.currentCaller().ifPresent((caller) -> {
			try (Connection connection = this.primary.getConnection();
					Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("select pg_current_wal_lsn()::text")) {
				rs.next();
				this.markers.wrote(caller, Lsn.parse(rs.getString(1)));
			}
			catch (SQLException | RuntimeException ex) {
				// Without the marker the caller's next read might miss this write on a lagging replica; the
				// write itself is committed, so it is not undone for this.
				log.warn("Could not read the primary's WAL position after a commit: {}", ex.toString());
			}
		});
	}

}
