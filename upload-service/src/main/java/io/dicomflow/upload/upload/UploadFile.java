package io.dicomflow.upload.upload;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.MapKeyEnumerated;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import io.dicomflow.upload.validation.ValidatedInstance;

import org.springframework.data.domain.Persistable;

/** A stored file of an upload and the path it has taken so far. */
@Entity
@Table(name = "upload_file")
public class UploadFile implements Persistable<UUID> {

	@Id
	private UUID id;

	/**
	 * Whether this object was created here and not yet stored: tells {@code save} to insert it directly instead
	 * of merging, which first selects the assigned id (one more round trip per file on the ingest path).
	 */
	@Transient
	private boolean fresh = true;

	private UUID uploadId;

	private String owner;

	private String fileName;

	@Enumerated(EnumType.STRING)
	private FileState state;

	private Instant stateChangedAt;

	private String sopInstanceUid;

	private String sopClassUid;

	private String studyInstanceUid;

	private String seriesInstanceUid;

	private String transferSyntaxUid;

	private String objectKey;

	private String sha256;

	private long sizeBytes;

	private UUID eventId;

	private String resultId;

	private String failureCode;

	private String failureReason;

	/**
	 * When the notifier reported this file's outcome delivered before the outcome itself reached this service
	 * (the events travel on one queue, but a failed delivery is redelivered after later ones); null otherwise.
	 */
	private Instant notifiedEarlyAt;

	@ElementCollection(fetch = FetchType.EAGER)
	@CollectionTable(name = "upload_file_transition", joinColumns = @JoinColumn(name = "file_id"))
	@MapKeyColumn(name = "state")
	@MapKeyEnumerated(EnumType.STRING)
	@Column(name = "at")
	private Map<FileState, Instant> transitions = new EnumMap<>(FileState.class);

	protected UploadFile() {
	}

	UploadFile(UUID id, UUID uploadId, String owner, String fileName, ValidatedInstance instance, String objectKey,
			String sha256, long sizeBytes, UUID eventId, Instant receivedAt, Instant storedAt) {
		this.id = id;
		this.uploadId = uploadId;
		this.owner = owner;
		this.fileName = fileName;
		this.sopInstanceUid = instance.sopInstanceUid();
		this.sopClassUid = instance.sopClassUid();
		this.studyInstanceUid = instance.studyInstanceUid();
		this.seriesInstanceUid = instance.seriesInstanceUid();
		this.transferSyntaxUid = instance.transferSyntaxUid();
		this.objectKey = objectKey;
		this.sha256 = sha256;
		this.sizeBytes = sizeBytes;
		this.eventId = eventId;
		this.transitions.put(FileState.RECEIVED, receivedAt);
		this.state = FileState.RECEIVED;
		advanceTo(FileState.STORED, storedAt);
	}

	/**
	 * Moves the file forward; a late or repeated transition (e.g. QUEUED arriving after DONE) is ignored.
	 * @return whether the state changed
	 */
	public boolean advanceTo(FileState next, Instant at) {
		if (!this.state.canAdvanceTo(next)) {
			return false;
		}
		this.state = next;
		this.stateChangedAt = at;
		this.transitions.putIfAbsent(next, at);
		return true;
	}

	public void completed(String resultId, Instant at) {
		if (advanceTo(FileState.DONE, at)) {
			this.resultId = resultId;
			catchUpNotified(at);
		}
	}

	public void failed(String code, String reason, Instant at) {
		if (advanceTo(FileState.FAILED, at)) {
			this.failureCode = code;
			this.failureReason = reason;
			catchUpNotified(at);
		}
	}

	/**
	 * The notifier delivered this file's outcome ({@code FilesNotified}): NOTIFIED now, or, when the outcome
	 * has not arrived yet, as soon as it does.
	 */
	public void notified(Instant at) {
		if (!advanceTo(FileState.NOTIFIED, at) && !this.state.isFinal()) {
			this.notifiedEarlyAt = at;
		}
	}

	private void catchUpNotified(Instant outcomeAt) {
		if (this.notifiedEarlyAt != null) {
			advanceTo(FileState.NOTIFIED, this.notifiedEarlyAt.isAfter(outcomeAt) ? this.notifiedEarlyAt : outcomeAt);
			this.notifiedEarlyAt = null;
		}
	}

	@PostLoad
	@PostPersist
	void stored() {
		this.fresh = false;
	}

	@Override
	public boolean isNew() {
		return this.fresh;
	}

	@Override
	public UUID getId() {
		return this.id;
	}

	public UUID getUploadId() {
		return this.uploadId;
	}

	public String getOwner() {
		return this.owner;
	}

	public String getFileName() {
		return this.fileName;
	}

	public FileState getState() {
		return this.state;
	}

	public String getSopInstanceUid() {
		return this.sopInstanceUid;
	}

	public String getStudyInstanceUid() {
		return this.studyInstanceUid;
	}

	public String getSeriesInstanceUid() {
		return this.seriesInstanceUid;
	}

	public String getObjectKey() {
		return this.objectKey;
	}

	public String getSha256() {
		return this.sha256;
	}

	public long getSizeBytes() {
		return this.sizeBytes;
	}

	public String getResultId() {
		return this.resultId;
	}

	public String getFailureCode() {
		return this.failureCode;
	}

	public String getFailureReason() {
		return this.failureReason;
	}

	public Map<FileState, Instant> getTransitions() {
		return Map.copyOf(this.transitions);
	}

}
