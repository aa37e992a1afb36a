package io.dicomflow.upload.tus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes incomplete tus uploads older than {@code dicomflow.upload.tus.expire-after}: the row first (only while it
 * is still incomplete, so an upload completing at that moment is kept), then its spool file. Without it an
 * abandoned upload would hold its disk space and its place in the user's caps for ever. Runs every
 * {@code cleanup-interval} on one daemon thread; several instances may run it at once (each row goes once).
 */
@Component
public class TusExpiry implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TusExpiry.class);

	private final JdbcTemplate jdbc;

	private final TusProperties properties;

	private ScheduledExecutorService timer;

	TusExpiry(JdbcTemplate jdbc, TusProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * Deletes the incomplete uploads created before now minus {@code expire-after}.
	 * @return how many were deleted
	 */
	public int expire() {
		Timestamp before = Timestamp.from(Instant.now().minus(this.properties.expireAfter()));
		record Expired(UUID id, String spool) {
		}
		List<Expired> expired = this.jdbc.query(
				"select id, spool_path from tus_upload where outcome is null and created_at < ? limit 1000",
				(rs, i) -> new Expired(rs.getObject(1, UUID.class), rs.getString(2)), before);
		int deleted = 0;
		for (Expired upload : expired) {
			if (this.jdbc.update("delete from tus_upload where id = ? and outcome is null", upload.id()) == 1) {
				deleted++;
				try {
					Files.deleteIfExists(Path.of(upload.spool()));
				}
				catch (IOException ex) {
					log.warn("expired tus upload {}: spool file not deleted ({})", upload.id(), ex.toString());
				}
			}
		}
		if (deleted > 0) {
			log.info("{} incomplete tus uploads expired (older than {})", deleted, this.properties.expireAfter());
		}
		return deleted;
	}

	@Override
	public synchronized void start() {
		this.timer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "tus-expiry");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.properties.cleanupInterval().toMillis();
		this.timer.scheduleWithFixedDelay(() -> {
			try {
				expire();
			}
			catch (RuntimeException ex) {
				// the database may be away for a moment: the next run tries again
				log.warn("tus expiry failed: {}", ex.toString());
			}
		}, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.timer != null) {
			this.timer.shutdownNow();
			this.timer = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.timer != null;
	}

}
