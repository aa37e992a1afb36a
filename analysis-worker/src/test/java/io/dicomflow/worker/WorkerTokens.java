package io.dicomflow.worker;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Access tokens for the worker's admin API, signed with a key generated per test JVM that the worker trusts. */
final class WorkerTokens {

	private static final String ISSUER = "https://issuer.dicomflow.test";

	private static final String AUDIENCE = "dicomflow";

	private static final KeyPair KEY = rsa();

	private WorkerTokens() {
	}

	static Map<String, Object> resourceServerProperties() {
		String pem = "-----BEGIN PUBLIC KEY-----" + Base64.getEncoder().encodeToString(KEY.getPublic().getEncoded())
				+ "-----END PUBLIC KEY-----";
		return Map.of("dicomflow.security.jwt.public-key", pem, "dicomflow.security.jwt.issuer-uri", ISSUER,
				"dicomflow.security.jwt.audience", AUDIENCE);
	}

	/** {@code Bearer <token>} of {@code user} with {@code role}. */
	static String bearer(String user, String role) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user)
			.issuer(ISSUER)
			.audience(AUDIENCE)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))
			.claim("roles", List.of(role))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner((RSAPrivateKey) KEY.getPrivate()));
			return "Bearer " + jwt.serialize();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
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
