package io.dicomflow.upload.upload;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

/** Stored files; public because the status consumer moves their state. */
public interface UploadFiles extends JpaRepository<UploadFile, UUID> {

	List<UploadFile> findByUploadIdOrderByFileName(UUID uploadId);

	Optional<UploadFile> findByEventId(UUID eventId);

}
