package io.dicomflow.common.identity;

import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * The JWT decoder (signature, expiry, issuer, audience) and the conversion of a token into the caller's
 * name and roles, shared by every service's HTTP security and by the WebSocket CONNECT check.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JwtProperties.class)
public class JwtConfiguration {

	@Bean
	JwtDecoder jwtDecoder(JwtProperties properties) {
		// a signature alone says only that someone holding the key signed it; without an issuer check a token
		// minted for another application sharing the identity provider's keys would be accepted
		if (!JwtProperties.isSet(properties.issuerUri())) {
			throw new IllegalStateException("No token issuer configured: set dicomflow.security.jwt.issuer-uri "
					+ "(DICOMFLOW_JWT_ISSUER_URI) to the iss value of the tokens to accept; it is required with any key "
					+ "source (jwk-set-uri, public-key or the issuer's discovery document)");
		}
		NimbusJwtDecoder decoder;
		if (JwtProperties.isSet(properties.publicKey())) {
			decoder = NimbusJwtDecoder.withPublicKey(rsaPublicKey(properties.publicKey())).build();
		}
		else if (JwtProperties.isSet(properties.jwkSetUri())) {
			decoder = NimbusJwtDecoder.withJwkSetUri(properties.jwkSetUri()).build();
		}
		else {
			decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(properties.issuerUri());
		}
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		validators.add(JwtValidators.createDefaultWithIssuer(properties.issuerUri()));
		validators.add(new JwtClaimValidator<List<String>>("aud",
				(aud) -> aud != null && aud.contains(properties.audience())));
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

	@Bean
	JwtAuthenticationConverter jwtAuthenticationConverter(JwtProperties properties) {
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setPrincipalClaimName(properties.usernameClaim());
		converter.setJwtGrantedAuthoritiesConverter(roles(properties.rolesClaim()));
		return converter;
	}

	/** Authenticates a raw bearer token outside the HTTP filter chain (the STOMP CONNECT frame). */
	@Bean
	JwtAuthenticationProvider jwtAuthenticationProvider(JwtDecoder decoder,
			Converter<Jwt, AbstractAuthenticationToken> jwtAuthenticationConverter) {
		JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
		provider.setJwtAuthenticationConverter(jwtAuthenticationConverter);
		return provider;
	}

	private static Converter<Jwt, Collection<GrantedAuthority>> roles(String claim) {
		return (jwt) -> {
			List<String> roles = jwt.getClaimAsStringList(claim);
			if (roles == null) {
				return List.of();
			}
			return roles.stream()
				.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + role.toUpperCase(Locale.ROOT)))
				.toList();
		};
	}

	private static RSAPublicKey rsaPublicKey(String pem) {
		String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
		try {
			return (RSAPublicKey) KeyFactory.getInstance("RSA")
				.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
		}
		catch (Exception ex) {
			throw new IllegalStateException("dicomflow.security.jwt.public-key is not a PEM RSA public key", ex);
		}
	}

}
