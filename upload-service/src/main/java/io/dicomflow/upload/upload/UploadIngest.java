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

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes files, from any route, through validation, storage and recording.
 *
 * <p>Order matters for "never lose, never half-write": one streaming read computes the hash and validates;
 * only then is the object key claimed and do the bytes go to S3 (multipart above a threshold, aborted on
 * failure); then the file row, its {@code ImageUploaded} event and the claim's {@code STORED} mark are committed
 * in one transaction; if the write or that transaction fails, the object is deleted and the claim released. A
 * file that fails validation touches neither S3 nor the database (unless the deployment quarantines such files,
 * which then go to their own prefix and table and are never analysed).
 *
 * <p>Identity of an instance is its object key, built from its owner and its UIDs: every owner has their own
 * key space, so owners never share an object nor see anything of each other's instances. Before the bytes go
 * to S3 the upload claims the key with a committed database row ({@link InstanceClaims}); only the upload
 * holding the claim writes the key, so two uploads of one instance cannot both be accepted, whatever the route
 * and however they interleave. The same owner sending the same bytes again gets {@code DUPLICATE} pointing at
 * the first copy; different bytes under the same SOP Instance UID are a {@code CONFLICT} and are refused
 * (docs/decisions/0004-conflicting-instances.md, 0011-per-owner-keys-and-instance-claims.md).
 */
@Service
@EnableConfigurationProperties(UploadProperties.class)
public class UploadIngest {

	private static final Logger log = LoggerFactory.getLogger(UploadIngest.class);

	static final String DICOM_MEDIA_TYPE = "application/dicom";

	static final String META_SOP_CLASS = "sop-class-uid";

	static final String META_TRANSFER_SYNTAX = "transfer-syntax-uid";

	/** Claims tried per file: another upload's claim can be released (its store failed) and then taken again. */
	private static final int CLAIM_ATTEMPTS = 3;

	private final DicomValidator validator;

	private final ObjectStore store;

	private final Outbox outbox;

	private final Uploads uploads;

	private final UploadFiles files;

	private final InstanceClaims claims;

	private final TransactionTemplate tx;

	private final List<StoredInstanceListener> listeners;

	private final Quarantine quarantine;

	private final UploadProperties limits;

	private final FailureAction onFailure;

	UploadIngest(DicomValidator validator, ObjectStore store, Outbox outbox, Uploads uploads, UploadFiles files,
			InstanceClaims claims, TransactionTemplate tx, List<StoredInstanceListener> listeners, Quarantine quarantine,
			UploadProperties limits, ValidationProperties validation) {
		this.validator = validator;
		this.store = store;
		this.outbox = outbox;
		this.uploads = uploads;
		this.files = files;
		this.claims = claims;
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
		// a fresh id: no upload row can exist before this request writes one
		Target target = new Target(uploadId, true, true);
		try {
			for (int i = 0; i < parts.size(); i++) {
				// the last file's transaction also writes the UploadCompleted event, if that file is stored
				target.completeWith = i == parts.size() - 1;
				outcomes.add(ingestOne(owner, receivedAt, parts.get(i), traceparent, target));
			}
		}
		finally {
			// the last file was not stored, or the request broke off: the files stored so far are the upload,
			// announce them in a transaction of their own
			if (!target.completed) {
				completeImplicit(owner, uploadId, target.stored, traceparent);
			}
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
			outcomes.add(ingestOne(upload.getOwner(), Instant.now(), part, traceparent,
					new Target(upload.getId(), false, false)));
		}
		return outcomes;
	}

	/** Opens an upload session of {@code owner} that expects {@code declaredFiles} files. */
	public Upload openSession(String owner, int declaredFiles) {
		Upload upload = new Upload(UUID.randomUUID(), owner, Instant.now(), Upload.State.OPEN, declaredFiles);
		return this.tx.execute((status) -> this.uploads.save(upload));
	}

	/**
	 * Opens an upload of {@code owner} whose number of files is not known in advance (a DIMSE association: the
	 * sender announces none); {@link #commit} completes it.
	 */
	public Upload openUpload(String owner) {
		Upload upload = new Upload(UUID.randomUUID(), owner, Instant.now(), Upload.State.OPEN, null);
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

	private void completeImplicit(String owner, UUID uploadId, List<UUID> stored, String traceparent) {
		if (!stored.isEmpty()) {
			this.tx.executeWithoutResult((status) -> appendCompleted(owner, uploadId, List.copyOf(stored), traceparent));
		}
	}

	private void appendCompleted(String owner, UUID uploadId, List<UUID> stored, String traceparent) {
		this.outbox.append(EventEnvelope.of(new UploadCompleted(uploadId, stored), uploadId.toString(), owner, traceparent),
				Topology.UPLOADS_EXCHANGE, Topology.UPLOAD_COMPLETED);
	}

	/**
	 * What the files of one request are recorded into, and what is known about it, so that each file's
	 * transaction does no more than it must. Touched by the request's thread only.
	 */
	static final class Target {

		final UUID uploadId;

		/** Whether the upload row is written with the first stored file (an implicit upload). */
		final boolean createUpload;

		/** No upload row of this id can exist unless this request committed one (the id is this request's own). */
		boolean certainlyAbsent;

		/** This request committed the upload row. */
		boolean uploadSaved;

		/** The next file's transaction writes the upload's UploadCompleted event if it stores the file. */
		boolean completeWith;

		/** The UploadCompleted event was committed. */
		boolean completed;

		/** The files committed so far. */
		final List<UUID> stored = new ArrayList<>();

		Target(UUID uploadId, boolean createUpload, boolean certainlyAbsent) {
			this.uploadId = uploadId;
			this.createUpload = createUpload;
			this.certainlyAbsent = certainlyAbsent;
		}

	}

	/** One file into {@code uploadId}, which is created if {@code createUpload} and missing; no completion event. */
	FileOutcome ingestOne(String owner, UUID uploadId, Instant receivedAt, IncomingFile part, String traceparent,
			boolean createUpload) {
		return ingestOne(owner, receivedAt, part, traceparent, new Target(uploadId, createUpload, false));
	}

	private FileOutcome ingestOne(String owner, Instant receivedAt, IncomingFile part, String traceparent,
			Target target) {
		UUID uploadId = target.uploadId;
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
			if (overQuota(owner, size)) {
				return FileOutcome.rejected(name, sha256, quotaExceeded());
			}
			Optional<FileOutcome> known = againstRecorded(owner, name, instance, sha256);
			if (known.isPresent()) {
				return known.get();
			}
			String key = ObjectKeys.instanceKey(this.store.tenant(), owner, instance.studyInstanceUid(),
					instance.seriesInstanceUid(), instance.sopInstanceUid());
			for (int attempt = 1;; attempt++) {
				Optional<UUID> claim = this.claims.claim(key, owner, sha256, this.limits.claimTimeout());
				if (claim.isPresent()) {
					UUID fileId = store(owner, receivedAt, part, instance, key, sha256, size, claim.get(),
							traceparent, target);
					return FileOutcome.accepted(name, fileId, instance.sopInstanceUid(), sha256);
				}
				Optional<InstanceClaims.Claim> holder = this.claims.awaitSettled(key, this.limits.claimWait());
				if (holder.isEmpty() && attempt < CLAIM_ATTEMPTS) {
					// the upload holding it failed and let the key go: claim it for this one
					continue;
				}
				return againstClaim(owner, name, instance, key, sha256, holder);
			}
		}
		catch (IOException | RuntimeException ex) {
			log.error("Upload {}: storing a file failed", uploadId, ex);
			return FileOutcome.rejected(name, sha256,
					new Rejection(RejectionCode.STORE_FAILED, null, "the file could not be stored; try again"));
		}
	}

	/**
	 * The answer when the owner already has a file of this SOP Instance UID: {@code DUPLICATE} of the same bytes,
	 * else {@code CONFLICT}. By the recorded rows, so it also covers files stored under an earlier key scheme
	 * and the same UID under another study or series; the claim below makes the race between two new uploads safe.
	 */
	private Optional<FileOutcome> againstRecorded(String owner, String name, ValidatedInstance instance,
			String sha256) {
		List<UploadFile> recorded = this.files.findByOwnerAndSopInstanceUidOrderByStateChangedAtAsc(owner,
				instance.sopInstanceUid());
		if (recorded.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(recorded.stream()
			.filter((file) -> file.getSha256().equals(sha256))
			.findFirst()
			.map((file) -> FileOutcome.duplicate(name, file))
			.orElseGet(() -> conflict(name, instance, sha256, recorded.get(0).getObjectKey())));
	}

	/**
	 * The answer when another upload holds the claim on the key: as {@code STORED}, {@code DUPLICATE} of its file
	 * or {@code CONFLICT}; still being stored after the wait, or released too often, a retryable
	 * {@code STORE_FAILED} (answering {@code DUPLICATE} for a store that may still fail would lose the file).
	 */
	private FileOutcome againstClaim(String owner, String name, ValidatedInstance instance, String key, String sha256,
			Optional<InstanceClaims.Claim> holder) {
		if (holder.isEmpty() || holder.get().state() != InstanceClaims.State.STORED) {
			log.info("Instance {} is still being stored by another upload", instance.sopInstanceUid());
			return FileOutcome.rejected(name, sha256, new Rejection(RejectionCode.STORE_FAILED, null,
					"another upload of this instance is still being stored; try again"));
		}
		if (!holder.get().sha256().equals(sha256)) {
			return conflict(name, instance, sha256, key);
		}
		// a STORED claim's file row was committed with it
		UploadFile stored = this.files
			.findFirstByOwnerAndSopInstanceUidAndSha256OrderByStateChangedAtAsc(owner, instance.sopInstanceUid(), sha256)
			.orElseThrow(() -> new IllegalStateException("the claim on " + key + " is STORED without its file"));
		return FileOutcome.duplicate(name, stored);
	}

	private FileOutcome conflict(String name, ValidatedInstance instance, String sha256, String storedKey) {
		return FileOutcome.conflict(name, instance.sopInstanceUid(), sha256, differences(storedKey, instance),
				new Rejection(RejectionCode.CONFLICT, "SOPInstanceUID",
						"an instance with this SOP Instance UID and different content is already stored"));
	}

	/**
	 * Writes the object of a claimed key and records it; on failure gives the key up again (unless the claim
	 * was lost to a takeover: then the key, and whatever object it has, belong to the upload that took it).
	 * @return the new file's id
	 */
	private UUID store(String owner, Instant receivedAt, IncomingFile part, ValidatedInstance instance, String key,
			String sha256, long size, UUID claim, String traceparent, Target target) {
		try {
			this.store.put(key, part::open, size, DICOM_MEDIA_TYPE, Map.of(ObjectStore.SHA256, sha256, META_SOP_CLASS,
					instance.sopClassUid(), META_TRANSFER_SYNTAX, instance.transferSyntaxUid()));
		}
		catch (RuntimeException ex) {
			abandon(key, claim);
			throw ex;
		}
		UUID fileId = UUID.randomUUID();
		try {
			record(owner, receivedAt, part.name(), instance, key, sha256, size, fileId, claim, traceparent, target);
		}
		catch (InstanceClaims.ClaimLostException ex) {
			// the key belongs to the upload that took the stale claim over: neither the object nor the claim is
			// this upload's to delete
			throw ex;
		}
		catch (RuntimeException ex) {
			abandon(key, claim);
			throw ex;
		}
		return fileId;
	}

	/**
	 * Deletes the object, then releases the claim: in the other order, the next upload could claim the key and
	 * write its object before this delete removed it.
	 */
	private void abandon(String key, UUID claim) {
		deleteQuietly(key);
		this.claims.release(key, claim);
	}

	private FileOutcome refuse(String owner, UUID uploadId, String name, IncomingFile part, Inspection inspection)
			throws IOException {
		Rejection rejection = inspection.rejection();
		if (this.onFailure == FailureAction.QUARANTINE && rejection.code().isContentRule()) {
			// a quarantined copy takes space in the bucket as a stored file does
			if (overQuota(owner, inspection.size())) {
				return FileOutcome.rejected(name, inspection.sha256(), quotaExceeded());
			}
			UUID id = this.quarantine.keep(owner, uploadId, name, inspection.sha256(), inspection.size(), rejection,
					part::open);
			log.info("Upload {}: file quarantined as {} ({})", uploadId, id, rejection.code());
			return FileOutcome.quarantined(name, id, inspection.sha256(), rejection);
		}
		return FileOutcome.rejected(name, inspection.sha256(), rejection);
	}

	/**
	 * Whether keeping {@code size} more bytes for {@code owner} would exceed the quota: stored files and
	 * quarantined copies both count.
	 */
	private boolean overQuota(String owner, long size) {
		return this.limits.hasQuota() && this.files.bytesStoredBy(owner) + this.quarantine.bytesHeldBy(owner)
				+ size > this.limits.quotaPerUser().toBytes();
	}

	private Rejection quotaExceeded() {
		return new Rejection(RejectionCode.QUOTA_EXCEEDED, null,
				"storing the file would exceed the quota of " + this.limits.quotaPerUser().toBytes() + " bytes");
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

	private void record(String owner, Instant receivedAt, String name, ValidatedInstance instance, String key,
			String sha256, long size, UUID fileId, UUID claim, String traceparent, Target target) {
		UUID uploadId = target.uploadId;
		boolean saveUpload = target.createUpload && !target.uploadSaved;
		// the lookup is needed only when an earlier transaction of this request may have written the row (it
		// failed, possibly after committing) or the id came from elsewhere
		boolean lookUp = saveUpload && !target.certainlyAbsent;
		if (saveUpload) {
			target.certainlyAbsent = false;
		}
		boolean complete = target.completeWith;
		this.tx.executeWithoutResult((status) -> {
			// first: if the claim was lost, nothing of this file is recorded
			this.claims.markStored(key, claim);
			if (saveUpload && !(lookUp && this.uploads.existsById(uploadId))) {
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
			if (complete) {
				List<UUID> all = new ArrayList<>(target.stored);
				all.add(fileId);
				appendCompleted(owner, uploadId, List.copyOf(all), traceparent);
			}
		});
		// committed
		target.uploadSaved |= saveUpload;
		target.stored.add(fileId);
		target.completed |= complete;
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
