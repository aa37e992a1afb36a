package io.dicomflow.common.identity;

import java.util.Optional;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Looks users up in {@link IdentityProperties}. */
public class UserDirectory implements UserDetailsService {

	private final IdentityProperties properties;

	public UserDirectory(IdentityProperties properties) {
		this.properties = properties;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		IdentityProperties.Account account = this.properties.users().get(username);
		if (account == null) {
			throw new UsernameNotFoundException("unknown user");
		}
		return User.withUsername(username)
			.password(account.password())
			.roles(account.roles().stream().map((r) -> r.toUpperCase(java.util.Locale.ROOT)).toArray(String[]::new))
			.build();
	}

	/** The address notifications for {@code username} go to, if the user has one. */
	public Optional<String> email(String username) {
		return Optional.ofNullable(this.properties.users().get(username))
			.map(IdentityProperties.Account::email)
			.filter((e) -> !e.isBlank());
	}

}
