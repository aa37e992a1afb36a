package io.dicomflow.upload.erasure;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.dicomflow.common.audit.AuditRecord;
import io.dicomflow.common.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Expires uploads older than {@code dicomflow.retention.max-age} (off unless set), every
 * {@code dicomflow.retention.interval}: each settled upload created before the cutoff is erased like a
 * user's DELETE and recorded in the audit trail as a DELETE by {@code system:retention}. Unsettled uploads
 * wait for the next run. Every instance may run it: the row locks of {@link Erasure} make two runs erase an
 * upload once.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
public class Retention implements InitializingBean, DisposableBean {

	static final String SUBJECT = "system:retention";

	private static final Logger log = LoggerFactory.getLogger(Retention.class);

	private final Erasure erasure;

	private final AuditTrail audit;

	private final RetentionProperties properties;

	private ScheduledExecutorService scheduler;

	Retention(Erasure erasure, AuditTrail audit, RetentionProperties properties) {
		this.erasure = erasure;
		this.audit = audit;
		this.properties = properties;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.properties.maxAge() == null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "retention");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.properties.interval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
		log.info("Retention: uploads older than {} are erased, checked every {}", this.properties.maxAge(),
				this.properties.interval());
	}

	private void runOnce() {
		try {
			expire(Instant.now().minus(this.properties.maxAge()));
		}
		catch (RuntimeException ex) {
			log.warn("Retention run failed, retrying at the next: {}", ex.toString());
		}
	}

	/** Erases the settled uploads created before {@code cutoff} (one batch); returns how many. */
	public int expire(Instant cutoff) {
		int erased = 0;
		for (UUID uploadId : this.erasure.settledUploadsBefore(cutoff, this.properties.batch())) {
			Erasure.Outcome outcome = this.erasure.eraseUpload(uploadId, SUBJECT, true);
			if (outcome instanceof Erasure.Outcome.Erased) {
				erased++;
				this.audit.record(SUBJECT, AuditRecord.Action.DELETE, "upload", uploadId.toString(),
						AuditRecord.Outcome.ALLOWED, 0, "RETENTION", "retention", null);
			}
		}
		if (erased > 0) {
			log.info("Retention erased {} uploads created before {}", erased, cutoff);
		}
		return erased;
	}

	@Override
	public void destroy() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

}
