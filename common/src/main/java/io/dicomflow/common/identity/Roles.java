package io.dicomflow.common.identity;

import java.util.Collection;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The three roles. {@code uploader}: sends files and follows their status, never reads images or results
 * (unattended modality-side uploaders). {@code user}: uploads and reads and deletes own uploads and results.
 * {@code admin}: reads everyone's.
 */
public final class Roles {

	public static final String UPLOADER = "UPLOADER";

	public static final String USER = "USER";

	public static final String ADMIN = "ADMIN";

	private Roles() {
	}

	public static boolean isAdmin(Authentication authentication) {
		return has(authentication, ADMIN);
	}

	/** Whether the caller may read images and analysis results (its own, or all for an admin). */
	public static boolean mayReadResults(Authentication authentication) {
		return has(authentication, USER) || has(authentication, ADMIN);
	}

	private static boolean has(Authentication authentication, String role) {
		if (authentication == null) {
			return false;
		}
		Collection<? extends GrantedAuthority> authorities = authentication.getAuthorities();
		return authorities.stream().anyMatch((a) -> ("ROLE_" + role).equals(a.getAuthority()));
	}

}
