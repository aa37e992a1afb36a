package io.dicomflow.common.identity;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The configured users, keyed by user name.
 *
 * @param users user name → account
 */
@Validated
@ConfigurationProperties("dicomflow.identity")
public record IdentityProperties(@DefaultValue Map<String, @Valid Account> users) {

	/**
	 * One account.
	 *
	 * @param password encoded password with its id prefix, e.g. {@code {bcrypt}$2a$...} ({@code {noop}} for demos)
	 * @param email where analysis notifications go
	 * @param roles e.g. {@code user}, {@code admin}
	 */
	public record Account(@NotBlank String password, String email, @DefaultValue("user") List<String> roles) {
	}

}
