package io.dicomflow.upload.upload;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.Outbox;
import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.upload.quarantine.Quarantine;
import io.dicomflow.upload.validation.DicomValidator;
import io.dicomflow.upload.validation.FailureAction;
import io.dicomflow.upload.validation.Inspection;
import io.dicomflow.upload.validation.Rejection;
import io.dicomflow.upload.validation.RejectionCode;
import io.dicomflow.upload.validation.ValidatedInstance;
import io.dicomflow.upload.validation.ValidationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes files, from any route, through validation, storage and recording.
 *
 * <p>Order matters for "never lose, never half-write": one streaming read computes the hash and validates;
 * only then do the bytes go to S3 (multipart above a threshold, aborted on failure); then the file row and its
 * {@code ImageUploaded} event are committed in one transaction; if that transaction fails, the object is
 * deleted again. A file that fails validation touches neither S3 nor the database (unless the deployment
 * quarantines such files, which then go to their own prefix and table and are never analysed).
 *
 * <p>Identity of an instance is its object key, built from its UIDs. The same owner sending the same bytes
 * again gets {@code DUPLICATE} pointing at the first copy; different bytes under a stored key are a
 * {@code CONFLICT} and are refused (docs/decisions/0004-conflicting-instances.md); another owner sending the
 * same bytes gets their own file row and analysis, while S3 keeps one object.
 */
@Service
@EnableConfigurationProperties(UploadProperties.class)
public class UploadIngest {

	private static final Logger log = LoggerFactory.getLogger(UploadIngest.class);

	static final String DICOM_MEDIA_TYPE = "application/dicom";

	static final String META_SOP_CLASS = "sop-class-uid";

	static final String META_TRANSFER_SYNTAX = "transfer-syntax-uid";

	private final DicomValidator validator;

	private final ObjectStore store;

	private final Outbox outbox;

	private final Uploads uploads;

	private final UploadFiles files;

	private final TransactionTemplate tx;

	private final List<StoredInstanceListener> listeners;

	private final Quarantine quarantine;

	private final UploadProperties limits;

	private final FailureAction onFailure;

	UploadIngest(DicomValidator validator, ObjectStore store, Outbox outbox, Uploads uploads, UploadFiles files,
			TransactionTemplate tx, List<StoredInstanceListener> listeners, Quarantine quarantine,
			UploadProperties limits, ValidationProperties validation) {
		this.validator = validator;
		this.store = store;
		this.outbox = outbox;
		this.uploads = uploads;
		this.files = files;
		this.tx = tx;
		this.listeners = List.copyOf(listeners);
		this.quarantine = quarantine;
		this.limits = limits;
		this.onFailure = validation.onFailure();
	}

	/**
	 * Ingests the files of one request as an implicit session: a new upload, committed at the end with one
	 * {@code UploadCompleted} event listing the files stored by it.
	 */
	public UploadReceipt ingest(String owner, List<? extends IncomingFile> parts, String traceparent) {
		UUID uploadId = UUID.randomUUID();
		Instant receivedAt = Instant.now();
		List<FileOutcome> outcomes = new ArrayList<>(parts.size());
		try {
			for (IncomingFile part : parts) {
				outcomes.add(ingestOne(owner, uploadId, receivedAt, part, traceparent, true));
			}
		}
		finally {
			// even if the request breaks off, the files stored so far are the upload: announce them
			completeImplicit(owner, uploadId, outcomes, traceparent);
		}
		UploadReceipt receipt = new UploadReceipt(uploadId, List.copyOf(outcomes));
		log.info("Upload {} by {}: {} of {} files accepted", uploadId, owner,
				outcomes.stream().filter(FileOutcome::isAccepted).count(), outcomes.size());
		return receipt.anyAccepted() ? receipt : new UploadReceipt(null, receipt.files());
	}

	/** Ingests files into an existing, open upload (a session); no completion event. */
	public List<FileOutcome> ingestInto(Upload upload, List<? extends IncomingFile> parts, String traceparent) {
		List<FileOutcome> outcomes = new ArrayList<>(parts.size());
		for (IncomingFile part : parts) {
			outcomes.add(ingestOne(upload.getOwner(), upload.getId(), Instant.now(), part, traceparent, false));
		}
		return outcomes;
	}

	/** Opens an upload session of {@code owner} that expects {@code declaredFiles} files. */
	public Upload openSession(String owner, int declaredFiles) {
		Upload upload = new Upload(UUID.randomUUID(), owner, Instant.now(), Upload.State.OPEN, declaredFiles);
		return this.tx.execute((status) -> this.uploads.save(upload));
	}

	/** The owner's upload with this id (another owner's is indistinguishable from a missing one). */
	public Optional<Upload> find(UUID uploadId, String owner) {
		return this.uploads.findByIdAndOwner(uploadId, owner);
	}

	/**
	 * Commits an open session: marks it committed and writes its one {@code UploadCompleted} event, in one
	 * transaction under a row lock, so concurrent or repeated commits yield exactly one event.
	 * @return the ids of the upload's stored files, and whether this call committed it
	 */
	public Commit commit(Upload upload, String traceparent) {
		return this.tx.execute((status) -> {
			Upload locked = this.uploads.lockById(upload.getId()).orElseThrow();
			List<UUID> stored = this.files.idsOf(locked.getId());
			if (locked.getState() == Upload.State.COMMITTED) {
				return new Commit(stored, false);
			}
			locked.committed(Instant.now());
			if (!stored.isEmpty()) {
				this.outbox.append(EventEnvelope.of(new UploadCompleted(locked.getId(), stored, true),
						locked.getId().toString(), locked.getOwner(), traceparent), Topology.UPLOADS_EXCHANGE,
						Topology.UPLOAD_COMPLETED);
			}
			log.info("Upload session {} by {} committed with {} stored files", locked.getId(), locked.getOwner(),
					stored.size());
			return new Commit(stored, true);
		});
	}

	/**
	 * @param fileIds the upload's stored files
	 * @param committedNow whether this call committed it (false: it was committed before)
	 */
	public record Commit(List<UUID> fileIds, boolean committedNow) {
	}

	private void completeImplicit(String owner, UUID uploadId, List<FileOutcome> outcomes, String traceparent) {
		List<UUID> stored = outcomes.stream().filter(FileOutcome::isAccepted).map(FileOutcome::fileId).toList();
		if (!stored.isEmpty()) {
			this.tx.executeWithoutResult((status) -> this.outbox.append(
					EventEnvelope.of(new UploadCompleted(uploadId, stored), uploadId.toString(), owner, traceparent),
					Topology.UPLOADS_EXCHANGE, Topology.UPLOAD_COMPLETED));
		}
	}

	FileOutcome ingestOne(String owner, UUID uploadId, Instant receivedAt, IncomingFile part, String traceparent,
			boolean createUpload) {
		String name = part.name();
		if (part.size() > this.limits.maxFileSize().toBytes()) {
			return FileOutcome.rejected(name, null, new Rejection(RejectionCode.FILE_TOO_LARGE, null,
					"the file is larger than " + this.limits.maxFileSize().toBytes() + " bytes"));
		}
		String sha256 = null;
		try {
			Inspection inspection;
			try (InputStream in = part.open()) {
				inspection = this.validator.inspect(in);
			}
			sha256 = inspection.sha256();
			if (!inspection.valid()) {
				return refuse(owner, uploadId, name, part, inspection);
			}
			ValidatedInstance instance = inspection.instance();
			long size = inspection.size();
			if (this.limits.hasQuota() && this.files.bytesStoredBy(owner) + size > this.limits.quotaPerUser().toBytes()) {
				return FileOutcome.rejected(name, sha256, new Rejection(RejectionCode.QUOTA_EXCEEDED, null,
						"storing the file would exceed the quota of " + this.limits.quotaPerUser().toBytes() + " bytes"));
			}
			Optional<UploadFile> duplicate = this.files
				.findFirstByOwnerAndSopInstanceUidAndSha256OrderByStateChangedAtAsc(owner, instance.sopInstanceUid(),
						sha256);
			if (duplicate.isPresent()) {
				return FileOutcome.duplicate(name, duplicate.get());
			}
			String key = ObjectKeys.instanceKey(this.store.tenant(), instance.studyInstanceUid(),
					instance.seriesInstanceUid(), instance.sopInstanceUid());
			Optional<HeadObjectResponse> existing = this.store.head(key);
			if (existing.isPresent() && !sha256.equals(existing.get().metadata().get(ObjectStore.SHA256))) {
				return FileOutcome.conflict(name, instance.sopInstanceUid(), sha256, differences(key, instance),
						new Rejection(RejectionCode.CONFLICT, "SOPInstanceUID",
								"an instance with this SOP Instance UID and different content is already stored"));
			}
			boolean written = false;
			if (existing.isEmpty()) {
				this.store.put(key, part::open, size, DICOM_MEDIA_TYPE, Map.of(ObjectStore.SHA256, sha256,
						META_SOP_CLASS, instance.sopClassUid(), META_TRANSFER_SYNTAX, instance.transferSyntaxUid()));
				written = true;
			}
			UUID fileId = UUID.randomUUID();
			try {
				record(owner, uploadId, receivedAt, name, instance, key, sha256, size, fileId, traceparent,
						createUpload);
			}
			catch (RuntimeException ex) {
				if (written) {
					deleteQuietly(key);
				}
				throw ex;
			}
			return FileOutcome.accepted(name, fileId, instance.sopInstanceUid(), sha256);
		}
		catch (IOException | RuntimeException ex) {
			log.error("Upload {}: storing a file failed", uploadId, ex);
			return FileOutcome.rejected(name, sha256,
					new Rejection(RejectionCode.STORE_FAILED, null, "the file could not be stored; try again"));
		}
	}

	private FileOutcome refuse(String owner, UUID uploadId, String name, IncomingFile part, Inspection inspection)
			throws IOException {
		Rejection rejection = inspection.rejection();
		if (this.onFailure == FailureAction.QUARANTINE && rejection.code().isContentRule()) {
			UUID id = this.quarantine.keep(owner, uploadId, name, inspection.sha256(), inspection.size(), rejection,
					part::open);
			log.info("Upload {}: file quarantined as {} ({})", uploadId, id, rejection.code());
			return FileOutcome.quarantined(name, id, inspection.sha256(), rejection);
		}
		return FileOutcome.rejected(name, inspection.sha256(), rejection);
	}

	/** The attributes in which the stored instance differs from the received one (names only). */
	private List<String> differences(String key, ValidatedInstance received) {
		try (InputStream in = this.store.open(key)) {
			DicomHeader stored = DicomReader.create().readHeader(in);
			return Differences.between(stored, received.header());
		}
		catch (IOException | DicomParseException | RuntimeException ex) {
			log.warn("Could not read the stored header of {} to list differences", key, ex);
			return List.of();
		}
	}

	private void record(String owner, UUID uploadId, Instant receivedAt, String name, ValidatedInstance instance,
			String key, String sha256, long size, UUID fileId, String traceparent, boolean createUpload) {
		this.tx.executeWithoutResult((status) -> {
			if (createUpload && !this.uploads.existsById(uploadId)) {
				this.uploads.save(new Upload(uploadId, owner, receivedAt));
			}
			ImageUploaded payload = new ImageUploaded(uploadId, fileId, key, sha256, size, instance.sopInstanceUid(),
					instance.sopClassUid(), instance.studyInstanceUid(), instance.seriesInstanceUid(),
					instance.transferSyntaxUid());
			EventEnvelope<ImageUploaded> event = EventEnvelope.of(payload, uploadId.toString(), owner, traceparent);
			UploadFile file = this.files.saveAndFlush(new UploadFile(fileId, uploadId, owner, name, instance, key, sha256,
					size, event.eventId(), receivedAt, Instant.now()));
			this.listeners.forEach((listener) -> listener.stored(file, instance.header()));
			this.outbox.append(event, Topology.UPLOADS_EXCHANGE, Topology.IMAGE_UPLOADED);
		});
	}

	private void deleteQuietly(String key) {
		try {
			this.store.delete(key);
		}
		catch (RuntimeException ex) {
			log.error("Could not delete orphaned object {}", key, ex);
		}
	}

}
