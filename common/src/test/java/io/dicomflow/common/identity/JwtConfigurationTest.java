package io.dicomflow.common.identity;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The issuer is not optional: a service configured with a key but no issuer refuses to start (it would accept
 * any token the key signed, whoever it was minted for), and a configured issuer is checked on every token.
 */
class JwtConfigurationTest {

	private static final String ISSUER = "https://issuer.dicomflow.test";

	private final KeyPair key = rsa();

	@Test
	void aKeyWithoutAnIssuerFailsStartUpSayingWhatToSet() {
		for (String blank : new String[] { null, "", "  " }) {
			JwtProperties properties = new JwtProperties(blank, null, pem(), "dicomflow", "roles", "sub");
			assertThatThrownBy(() -> new JwtConfiguration().jwtDecoder(properties))
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("DICOMFLOW_JWT_ISSUER_URI");
		}
		JwtProperties jwkSetOnly = new JwtProperties(null, "https://keys.example.test/jwks", null, "dicomflow",
				"roles", "sub");
		assertThatThrownBy(() -> new JwtConfiguration().jwtDecoder(jwkSetOnly))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("issuer-uri");
	}

	@Test
	void aTokenFromAnotherIssuerSignedWithTheTrustedKeyIsRefused() throws Exception {
		JwtDecoder decoder = new JwtConfiguration()
			.jwtDecoder(new JwtProperties(ISSUER, null, pem(), "dicomflow", "roles", "sub"));
		assertThat(decoder.decode(token(ISSUER)).getSubject()).isEqualTo("alice");
		assertThatThrownBy(() -> decoder.decode(token("https://other-app.example.test")))
			.isInstanceOf(JwtValidationException.class)
			.hasMessageContaining("iss");
	}

	private String token(String issuer) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice")
			.issuer(issuer)
			.audience(List.of("dicomflow"))
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
		jwt.sign(new RSASSASigner((RSAPrivateKey) this.key.getPrivate()));
		return jwt.serialize();
	}

	private String pem() {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(this.key.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----";
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
