package io.dicomflow.common.identity;

import java.util.Map;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the services know of users beyond their tokens, keyed by user id (the token subject).
 *
 * @param users user id → directory entry
 */
@Validated
@ConfigurationProperties("dicomflow.identity")
public record IdentityProperties(@DefaultValue Map<String, @Valid Account> users) {

	/**
	 * One directory entry.
	 *
	 * @param email where analysis notifications go
	 */
	public record Account(String email) {
	}

}
