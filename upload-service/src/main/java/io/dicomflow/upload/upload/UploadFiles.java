package io.dicomflow.upload.upload;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Stored files; public because the status consumer moves their state. */
public interface UploadFiles extends JpaRepository<UploadFile, UUID> {

	List<UploadFile> findByUploadIdOrderByFileName(UUID uploadId);

	Optional<UploadFile> findByEventId(UUID eventId);

	/**
	 * The file with its row locked until the transaction ends. Its state changes arrive concurrently (the relay's
	 * confirm of QUEUED, the analysis outcome, NOTIFIED) and must apply one after the other: two transactions that
	 * both read STORED would otherwise each write their own state, and the later commit would undo the other's
	 * (seen: a file DONE with its result, then back to QUEUED without it).
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select f from UploadFile f where f.id = ?1")
	Optional<UploadFile> lockById(UUID id);

	/** The owner's earliest copy of exactly these bytes of this instance (the target of a DUPLICATE). */
	Optional<UploadFile> findFirstByOwnerAndSopInstanceUidAndSha256OrderByStateChangedAtAsc(String owner,
			String sopInstanceUid, String sha256);

	/** The owner's files of this instance, earliest first (DUPLICATE or CONFLICT, whatever their key). */
	List<UploadFile> findByOwnerAndSopInstanceUidOrderByStateChangedAtAsc(String owner, String sopInstanceUid);

	@Query("select coalesce(sum(f.sizeBytes), 0) from UploadFile f where f.owner = ?1")
	long bytesStoredBy(String owner);

	@Query("select f.id from UploadFile f where f.uploadId = ?1")
	List<UUID> idsOf(UUID uploadId);

}
