package io.dicomflow.standalone;

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
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints the tests' access tokens with a key generated per test JVM, which the services are configured to
 * trust — and, on purpose, bad ones (other key, expired, unsigned, wrong audience or issuer).
 */
final class TestTokens {

	static final String ISSUER = "https://issuer.dicomflow.test";

	static final String AUDIENCE = "dicomflow";

	private static final KeyPair TRUSTED = rsa();

	private static final KeyPair UNTRUSTED = rsa();

	private TestTokens() {
	}

	/** The properties that make a service trust these tokens. */
	static Map<String, Object> resourceServerProperties() {
		// one line: it travels as a command-line argument
		String pem = "-----BEGIN PUBLIC KEY-----" + Base64.getEncoder().encodeToString(TRUSTED.getPublic().getEncoded())
				+ "-----END PUBLIC KEY-----";
		return Map.of("dicomflow.security.jwt.public-key", pem, "dicomflow.security.jwt.issuer-uri", ISSUER,
				"dicomflow.security.jwt.audience", AUDIENCE);
	}

	/** A valid token of a demo user, with the user's role. */
	static String forUser(String user) {
		return sign(claims(user, List.of(DemoUsers.named(user).role()), AUDIENCE, ISSUER, Duration.ofMinutes(30)),
				TRUSTED);
	}

	/** A valid token of a demo user that expires {@code validFor} from now. */
	static String forUser(String user, Duration validFor) {
		return sign(claims(user, List.of(DemoUsers.named(user).role()), AUDIENCE, ISSUER, validFor), TRUSTED);
	}

	static String signedByAnotherKey(String user) {
		return sign(claims(user, List.of("user"), AUDIENCE, ISSUER, Duration.ofMinutes(30)), UNTRUSTED);
	}

	static String expired(String user) {
		return sign(claims(user, List.of("user"), AUDIENCE, ISSUER, Duration.ofMinutes(-5)), TRUSTED);
	}

	static String forAudience(String user, String audience) {
		return sign(claims(user, List.of("user"), audience, ISSUER, Duration.ofMinutes(30)), TRUSTED);
	}

	static String fromIssuer(String user, String issuer) {
		return sign(claims(user, List.of("user"), AUDIENCE, issuer, Duration.ofMinutes(30)), TRUSTED);
	}

	/** {@code alg: none}: a token anyone could write. */
	static String unsigned(String user) {
		return new PlainJWT(claims(user, List.of("admin"), AUDIENCE, ISSUER, Duration.ofMinutes(30))).serialize();
	}

	private static JWTClaimsSet claims(String user, List<String> roles, String audience, String issuer,
			Duration validFor) {
		Instant now = Instant.now();
		Instant expiry = now.plus(validFor);
		return new JWTClaimsSet.Builder().subject(user)
			.issuer(issuer)
			.audience(audience)
			.issueTime(Date.from(validFor.isNegative() ? expiry.minus(Duration.ofMinutes(10)) : now))
			.expirationTime(Date.from(expiry))
			.claim("roles", roles)
			.build();
	}

	private static String sign(JWTClaimsSet claims, KeyPair key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner((RSAPrivateKey) key.getPrivate()));
			return jwt.serialize();
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
