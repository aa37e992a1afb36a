package io.dicomflow.upload.results;

import io.dicomflow.common.identity.Roles;

import org.springframework.security.core.Authentication;

/**
 * Who is asking: the owner name of everything they create, and whether they may see everyone's elements.
 * Built from the {@link Authentication} only, so it does not care how the caller authenticated.
 *
 * @param name the caller's user name ({@code Principal.getName()})
 * @param admin whether the caller has {@code ROLE_ADMIN}
 */
record Caller(String name, boolean admin) {

	static Caller of(Authentication authentication) {
		return new Caller(authentication.getName(), Roles.isAdmin(authentication));
	}

}
