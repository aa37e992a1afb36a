package io.dicomflow.upload.upload;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Bytes each user's upload requests in progress have read from their bodies on this instance (held in memory or
 * spooled to disk until they are stored). The request limit bounds one request; this bounds one user's
 * simultaneous requests together, so a user cannot fill the spool volume with many parallel large requests:
 * past {@code dicomflow.upload.max-spool-per-user} the request that crosses it is refused with 429 and its
 * bytes are freed. A request releases its share when it ends.
 */
@Component
public class SpoolPerUser {

	public static final URI TOO_MUCH_IN_FLIGHT = URI.create("https://dicomflow.io/problems/too-much-in-flight");

	private final ConcurrentHashMap<String, AtomicLong> held = new ConcurrentHashMap<>();

	private final long max;

	SpoolPerUser(UploadProperties limits) {
		this.max = limits.maxSpoolPerUser().toBytes();
	}

	/** A share for one request of {@code owner}; close it when the request ends. */
	public Share open(String owner) {
		return new Share(owner);
	}

	/** Bytes {@code owner}'s requests hold now (for tests and metrics). */
	public long heldBy(String owner) {
		AtomicLong bytes = this.held.get(owner);
		return (bytes != null) ? bytes.get() : 0;
	}

	/** One request's part of its user's bytes. */
	public final class Share implements AutoCloseable {

		private final String owner;

		private long charged;

		private Share(String owner) {
			this.owner = owner;
		}

		/** Counts {@code n} more bytes read; 429 problem+json if the user's requests now hold too many. */
		void charge(long n) {
			this.charged += n;
			long total = SpoolPerUser.this.held.computeIfAbsent(this.owner, (k) -> new AtomicLong()).addAndGet(n);
			if (total > SpoolPerUser.this.max) {
				throw UploadProblems.error(HttpStatus.TOO_MANY_REQUESTS, TOO_MUCH_IN_FLIGHT, "Too much in flight",
						"this user's uploads in progress hold more than " + SpoolPerUser.this.max
								+ " bytes; wait for them to finish");
			}
		}

		@Override
		public void close() {
			if (this.charged > 0) {
				long charged = this.charged;
				this.charged = 0;
				SpoolPerUser.this.held.computeIfPresent(this.owner,
						(k, bytes) -> (bytes.addAndGet(-charged) <= 0) ? null : bytes);
			}
		}

	}

}
