package io.dicomflow.upload.upload;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface Uploads extends JpaRepository<Upload, UUID> {

	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select u from Upload u where u.id = ?1")
	Optional<Upload> lockById(UUID id);

	Optional<Upload> findByIdAndOwner(UUID id, String owner);

	Page<Upload> findByOwnerOrderByCreatedAtDesc(String owner, Pageable page);

}
