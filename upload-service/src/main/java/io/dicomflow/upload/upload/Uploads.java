package io.dicomflow.upload.upload;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

interface Uploads extends JpaRepository<Upload, UUID> {

	Optional<Upload> findByIdAndOwner(UUID id, String owner);

	Page<Upload> findByOwnerOrderByCreatedAtDesc(String owner, Pageable page);

}
