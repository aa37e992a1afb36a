package io.dicomflow.common.identity;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which tokens to trust. Exactly one key source is used, in this order: {@code publicKey}, {@code jwkSetUri},
 * {@code issuerUri} (OpenID discovery). The issuer is required whatever the key source: start-up fails without it.
 *
 * @param issuerUri the issuer; the {@code iss} claim must equal it
 * @param jwkSetUri where the issuer publishes its signing keys
 * @param publicKey a PEM RSA public key (e.g. for a fixed signing key, or tests)
 * @param audience the {@code aud} value a token must contain
 * @param rolesClaim claim listing the caller's roles
 * @param usernameClaim claim naming the caller (the owner of what it creates)
 */
@Validated
@ConfigurationProperties("dicomflow.security.jwt")
public record JwtProperties(String issuerUri, String jwkSetUri, String publicKey,
		@DefaultValue("dicomflow") @NotBlank String audience, @DefaultValue("roles") @NotBlank String rolesClaim,
		@DefaultValue("sub") @NotBlank String usernameClaim) {

	static boolean isSet(String value) {
		return value != null && !value.isBlank();
	}

}
