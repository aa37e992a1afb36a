package io.dicomflow.upload.upload;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.dicomflow.common.events.EventEnvelope;
import io.dicomflow.common.events.ImageUploaded;
import io.dicomflow.common.events.UploadCompleted;
import io.dicomflow.common.messaging.Topology;
import io.dicomflow.common.outbox.Outbox;
import io.dicomflow.common.storage.ObjectKeys;
import io.dicomflow.common.storage.ObjectStore;
import io.dicomflow.upload.validation.DicomValidator;
import io.dicomflow.upload.validation.Rejection;
import io.dicomflow.upload.validation.RejectionCode;
import io.dicomflow.upload.validation.ValidatedInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes the files of one upload request through validation, storage and recording.
 *
 * <p>Order matters for "never lose, never half-write": the bytes go to S3 first; then the file row and its
 * {@code ImageUploaded} event are committed in one transaction; if that transaction fails, the object is
 * deleted again. A file that fails validation touches neither S3 nor the database.
 */
@Service
public class UploadIngest {

	private static final Logger log = LoggerFactory.getLogger(UploadIngest.class);

	private static final String DICOM_MEDIA_TYPE = "application/dicom";

	private final DicomValidator validator;

	private final ObjectStore store;

	private final Outbox outbox;

	private final Uploads uploads;

	private final UploadFiles files;

	private final TransactionTemplate tx;

	private final List<StoredInstanceListener> listeners;

	UploadIngest(DicomValidator validator, ObjectStore store, Outbox outbox, Uploads uploads, UploadFiles files,
			TransactionTemplate tx, List<StoredInstanceListener> listeners) {
		this.validator = validator;
		this.store = store;
		this.outbox = outbox;
		this.uploads = uploads;
		this.files = files;
		this.tx = tx;
		this.listeners = List.copyOf(listeners);
	}

	public UploadReceipt ingest(String owner, List<? extends IncomingFile> parts, String traceparent) {
		UUID uploadId = UUID.randomUUID();
		Instant receivedAt = Instant.now();
		List<FileOutcome> outcomes = new ArrayList<>(parts.size());
		for (IncomingFile part : parts) {
			outcomes.add(ingestOne(owner, uploadId, receivedAt, part, traceparent));
		}
		UploadReceipt receipt = new UploadReceipt(uploadId, List.copyOf(outcomes));
		List<UUID> stored = outcomes.stream().filter(FileOutcome::isAccepted).map(FileOutcome::fileId).toList();
		if (!stored.isEmpty()) {
			this.tx.executeWithoutResult((status) -> this.outbox.append(
					EventEnvelope.of(new UploadCompleted(uploadId, stored), uploadId.toString(), owner, traceparent),
					Topology.UPLOADS_EXCHANGE, Topology.UPLOAD_COMPLETED));
		}
		log.info("Upload {} by {}: {} of {} files accepted", uploadId, owner,
				outcomes.stream().filter(FileOutcome::isAccepted).count(), outcomes.size());
		return receipt.anyAccepted() ? receipt : new UploadReceipt(null, receipt.files());
	}

	private FileOutcome ingestOne(String owner, UUID uploadId, Instant receivedAt, IncomingFile part,
			String traceparent) {
		String name = part.name();
		try {
			ValidatedInstance instance;
			try (InputStream in = part.open()) {
				instance = this.validator.validate(in, part.size());
			}
			String sha256 = sha256(part);
			String key = ObjectKeys.instanceKey(this.store.tenant(), instance.studyInstanceUid(),
					instance.seriesInstanceUid(), instance.sopInstanceUid());
			boolean written = storeIfAbsent(key, sha256, part);
			UUID fileId = UUID.randomUUID();
			try {
				record(owner, uploadId, receivedAt, name, instance, key, sha256, part.size(), fileId, traceparent);
			}
			catch (RuntimeException ex) {
				if (written) {
					deleteQuietly(key);
				}
				throw ex;
			}
			return FileOutcome.accepted(name, fileId, instance.sopInstanceUid());
		}
		catch (Rejection.Exception ex) {
			return FileOutcome.rejected(name, ex.rejection());
		}
		catch (IOException | RuntimeException ex) {
			log.error("Upload {}: storing a file failed", uploadId, ex);
			return FileOutcome.rejected(name,
					new Rejection(RejectionCode.STORE_FAILED, null, "the file could not be stored; try again"));
		}
	}

	/**
	 * Puts the bytes under {@code key} unless the same bytes are already there.
	 * @return whether this call wrote the object
	 */
	private boolean storeIfAbsent(String key, String sha256, IncomingFile part)
			throws IOException, Rejection.Exception {
		Optional<Map<String, String>> existing = this.store.metadata(key);
		if (existing.isPresent()) {
			if (sha256.equals(existing.get().get(ObjectStore.SHA256))) {
				return false;
			}
			throw new Rejection.Exception(RejectionCode.CONFLICT, "SOPInstanceUID",
					"an instance with this SOP Instance UID and different content is already stored");
		}
		try (InputStream in = part.open()) {
			this.store.put(key, in, part.size(), DICOM_MEDIA_TYPE, Map.of(ObjectStore.SHA256, sha256));
		}
		return true;
	}

	private void record(String owner, UUID uploadId, Instant receivedAt, String name, ValidatedInstance instance,
			String key, String sha256, long size, UUID fileId, String traceparent) {
		this.tx.executeWithoutResult((status) -> {
			if (!this.uploads.existsById(uploadId)) {
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

	private static String sha256(IncomingFile part) throws IOException {
		try (InputStream in = new DigestInputStream(part.open(), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return java.util.HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
