package io.dicomflow.common.identity;

import java.util.Optional;

/** Looks up what the directory knows of a user. */
public class UserDirectory {

	private final IdentityProperties properties;

	public UserDirectory(IdentityProperties properties) {
		this.properties = properties;
	}

	/** The address notifications for {@code userId} go to, if the user has one. */
	public Optional<String> email(String userId) {
		return Optional.ofNullable(this.properties.users().get(userId))
			.map(IdentityProperties.Account::email)
			.filter((e) -> !e.isBlank());
	}

}
