package io.dicomflow.upload.upload;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.dicomflow.common.events.Traceparent;
import io.dicomflow.common.outbox.Outbox;
import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.upload.quarantine.Quarantine;
import io.dicomflow.upload.validation.DicomValidator;
import io.dicomflow.upload.validation.ValidationProperties;

import org.springframework.context.ApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ingest of one file as the running upload service does it (its validator, repositories, claims,
 * transactions and listeners), but with an object store and claim timings of the test's choosing: how the
 * end-to-end tests make a store fail for real (a bucket that does not exist) or wait briefly for a claim.
 */
public final class IngestProbe {

	private final UploadIngest ingest;

	public IngestProbe(ApplicationContext upload, ObjectStore store, Duration claimTimeout, Duration claimWait) {
		UploadProperties limits = upload.getBean(UploadProperties.class);
		this.ingest = new UploadIngest(upload.getBean(DicomValidator.class), store, upload.getBean(Outbox.class),
				upload.getBean(Uploads.class), upload.getBean(UploadFiles.class), upload.getBean(InstanceClaims.class),
				upload.getBean(TransactionTemplate.class),
				upload.getBeanProvider(StoredInstanceListener.class).orderedStream().toList(),
				upload.getBean(Quarantine.class), new UploadProperties(limits.maxFiles(), limits.maxFileSize(),
						limits.quotaPerUser(), claimTimeout, claimWait, limits.spoolMemoryPerRequest(),
						limits.spoolMemoryTotal(), limits.maxRequestSize(), limits.maxSessionFiles(),
						limits.maxSpoolPerUser(), limits.storeRetryAfter()),
				upload.getBean(ValidationProperties.class));
	}

	/** Ingests {@code bytes} as {@code owner} into {@code uploadId}, created first if {@code createUpload}. */
	public FileOutcome ingest(String owner, UUID uploadId, String name, byte[] bytes, boolean createUpload) {
		IncomingFile file = new IncomingFile() {
			@Override
			public String name() {
				return name;
			}

			@Override
			public long size() {
				return bytes.length;
			}

			@Override
			public InputStream open() {
				return new ByteArrayInputStream(bytes);
			}
		};
		return this.ingest.ingestOne(owner, uploadId, Instant.now(), file, Traceparent.newRoot(), createUpload);
	}

}
