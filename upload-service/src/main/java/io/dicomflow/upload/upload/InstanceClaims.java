package io.dicomflow.upload.upload;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code instance_claim} rows: which upload may write an object key (V41, docs/decisions/0011).
 *
 * <p>A claim is taken by an insert that is committed on its own, before anything is written to S3: of two
 * uploads of the same key, exactly one insert wins the primary key, however the requests interleave and on
 * however many service instances. Every statement here runs outside the caller's transactions except
 * {@link #markStored}, which belongs in the transaction that records the file.
 */
@Component
class InstanceClaims {

	private static final Logger log = LoggerFactory.getLogger(InstanceClaims.class);

	private final JdbcTemplate jdbc;

	InstanceClaims(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	enum State {

		/** Being written by the upload holding the claim; nothing of it is recorded yet. */
		CLAIMED,
		/** Written, and its file row committed. */
		STORED

	}

	/** The claim on a key, as another upload of the key sees it. */
	record Claim(String objectKey, String sha256, State state) {
	}

	/**
	 * Claims {@code key} for these bytes: a new claim, or the takeover of a claim left {@code CLAIMED} for longer
	 * than {@code staleAfter} by a process that died. Committed when this returns.
	 * @return the claim id to mark or release it with, or empty if another upload holds the key
	 */
	Optional<UUID> claim(String key, String owner, String sha256, Duration staleAfter) {
		UUID id = UUID.randomUUID();
		int inserted = this.jdbc.update("insert into instance_claim (object_key, owner, sha256, state, claim_id) "
				+ "values (?, ?, ?, 'CLAIMED', ?) on conflict (object_key) do nothing", key, owner, sha256, id);
		if (inserted == 1) {
			return Optional.of(id);
		}
		// the database's clock on both sides: service instances' clocks may disagree
		int taken = this.jdbc.update("update instance_claim set owner = ?, sha256 = ?, claim_id = ?, claimed_at = now() "
				+ "where object_key = ? and state = 'CLAIMED' and claimed_at < now() - make_interval(secs => ?)", owner,
				sha256, id, key, (double) staleAfter.toMillis() / 1000);
		if (taken == 1) {
			log.warn("Took over the stale claim on {} (CLAIMED for more than {})", key, staleAfter);
			return Optional.of(id);
		}
		return Optional.empty();
	}

	/** The current claim on {@code key}, if any. */
	Optional<Claim> find(String key) {
		return this.jdbc
			.query("select object_key, sha256, state from instance_claim where object_key = ?",
					(rs, i) -> new Claim(rs.getString(1), rs.getString(2), State.valueOf(rs.getString(3))), key)
			.stream()
			.findFirst();
	}

	/**
	 * Waits until the claim on {@code key} is settled: {@code STORED}, or gone (its upload failed and released
	 * it), polling for at most {@code atMost}.
	 * @return the claim as last seen: {@code STORED}, still {@code CLAIMED} after {@code atMost}, or empty
	 */
	Optional<Claim> awaitSettled(String key, Duration atMost) {
		long deadline = System.nanoTime() + atMost.toNanos();
		long pause = 10;
		while (true) {
			Optional<Claim> claim = find(key);
			if (claim.isEmpty() || claim.get().state() == State.STORED || System.nanoTime() >= deadline) {
				return claim;
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return claim;
			}
			// a small file is stored within milliseconds, a large one takes seconds: back off to 200 ms
			pause = Math.min(pause * 2, 200);
		}
	}

	/**
	 * Marks the claim {@code STORED}; call it in the transaction that records the file, so that a
	 * {@code STORED} claim always has its file row.
	 * @throws ClaimLostException if the claim is no longer {@code id}'s (it was taken over as stale)
	 */
	void markStored(String key, UUID id) {
		int updated = this.jdbc.update("update instance_claim set state = 'STORED' "
				+ "where object_key = ? and claim_id = ? and state = 'CLAIMED'", key, id);
		if (updated != 1) {
			throw new ClaimLostException(key);
		}
	}

	/** Gives the key up after a failed write or record, so that the next upload of it can claim it. */
	void release(String key, UUID id) {
		try {
			this.jdbc.update("delete from instance_claim where object_key = ? and claim_id = ? and state = 'CLAIMED'",
					key, id);
		}
		catch (RuntimeException ex) {
			// the claim stays CLAIMED and is taken over once it is stale
			log.error("Could not release the claim on {}", key, ex);
		}
	}

	/** The upload held a claim for longer than the claim timeout and another upload took the key over. */
	static final class ClaimLostException extends RuntimeException {

		ClaimLostException(String key) {
			super("the claim on " + key + " was taken over while the file was being stored");
		}

	}

}
