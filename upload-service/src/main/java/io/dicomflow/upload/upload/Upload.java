package io.dicomflow.upload.upload;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import org.springframework.data.domain.Persistable;

/** One upload of one owner: a plain request (an implicit session) or an explicit upload session. */
@Entity
@Table(name = "upload")
public class Upload implements Persistable<UUID> {

	/** A session is OPEN while files arrive and COMMITTED once its {@code UploadCompleted} is written. */
	public enum State {

		OPEN, COMMITTED

	}

	@Id
	private UUID id;

	/**
	 * Whether this object was created here and not yet stored: tells {@code save} to insert it directly instead
	 * of merging, which first selects the assigned id (one more round trip per file on the ingest path).
	 */
	@Transient
	private boolean fresh = true;

	private String owner;

	private Instant createdAt;

	@Enumerated(EnumType.STRING)
	private State state;

	private Integer declaredFiles;

	private Instant committedAt;

	protected Upload() {
	}

	Upload(UUID id, String owner, Instant createdAt) {
		this(id, owner, createdAt, State.COMMITTED, null);
		this.committedAt = createdAt;
	}

	Upload(UUID id, String owner, Instant createdAt, State state, Integer declaredFiles) {
		this.id = id;
		this.owner = owner;
		this.createdAt = createdAt;
		this.state = state;
		this.declaredFiles = declaredFiles;
	}

	void committed(Instant at) {
		this.state = State.COMMITTED;
		this.committedAt = at;
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

	public String getOwner() {
		return this.owner;
	}

	public Instant getCreatedAt() {
		return this.createdAt;
	}

	public State getState() {
		return this.state;
	}

	public Integer getDeclaredFiles() {
		return this.declaredFiles;
	}

	public Instant getCommittedAt() {
		return this.committedAt;
	}

}
