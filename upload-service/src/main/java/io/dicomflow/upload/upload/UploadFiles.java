package io.dicomflow.upload.upload;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Stored files; public because the status consumer moves their state. */
public interface UploadFiles extends JpaRepository<UploadFile, UUID> {

	List<UploadFile> findByUploadIdOrderByFileName(UUID uploadId);

	Optional<UploadFile> findByEventId(UUID eventId);

	/** The owner's earliest copy of exactly these bytes of this instance (the target of a DUPLICATE). */
	Optional<UploadFile> findFirstByOwnerAndSopInstanceUidAndSha256OrderByStateChangedAtAsc(String owner,
			String sopInstanceUid, String sha256);

	@Query("select coalesce(sum(f.sizeBytes), 0) from UploadFile f where f.owner = ?1")
	long bytesStoredBy(String owner);

	@Query("select f.id from UploadFile f where f.uploadId = ?1")
	List<UUID> idsOf(UUID uploadId);

}
