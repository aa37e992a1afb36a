package io.dicomflow.upload.replica;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Each caller's last write, as the primary's WAL position right after that write committed. A read of that
 * caller may use a replica only once the replica has replayed up to there. An entry goes away as soon as a
 * replica is seen past it, so the map holds only callers who wrote within the replication lag.
 *
 * <p>Per instance: behind a load balancer without sticky sessions, a caller's next read may reach another
 * instance that does not know the write (see docs/results-api.md).
 */
public class WriteMarkers {

	private final Map<String, Long> lastWrite = new ConcurrentHashMap<>();

	/** The caller of the current thread: the authenticated user's name, if any. */
	static Optional<String> currentCaller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken) {
			return Optional.empty();
		}
		return Optional.ofNullable(authentication.getName());
	}

	void wrote(String caller, long lsn) {
		this.lastWrite.merge(caller, lsn, Math::max);
	}

	/** The position the caller's reads must wait for, if the caller wrote recently. */
	Optional<Long> pending(String caller) {
		return Optional.ofNullable(this.lastWrite.get(caller));
	}

	/** The replica replayed {@code lsn}: forget the marker unless the caller wrote again meanwhile. */
	void replayed(String caller, long lsn) {
		this.lastWrite.computeIfPresent(caller, (name, marker) -> (marker <= lsn) ? null : marker);
	}

	int size() {
		return this.lastWrite.size();
	}

}
