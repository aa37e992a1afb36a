package io.dicomflow.upload.upload;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One upload request (or, later, upload session) of one owner. */
@Entity
@Table(name = "upload")
public class Upload {

	@Id
	private UUID id;

	private String owner;

	private Instant createdAt;

	protected Upload() {
	}

	Upload(UUID id, String owner, Instant createdAt) {
		this.id = id;
		this.owner = owner;
		this.createdAt = createdAt;
	}

	public UUID getId() {
		return this.id;
	}

	public String getOwner() {
		return this.owner;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

}
