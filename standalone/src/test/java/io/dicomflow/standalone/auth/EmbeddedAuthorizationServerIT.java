package io.dicomflow.standalone.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;

import io.dicomflow.common.identity.JwtConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone issuer's tokens are what the services accept: a demo user's personal client gets a token
 * over real HTTP, and the services' own decoder (from the issuer's JWK set, checking issuer and audience)
 * turns it into that user with that user's role.
 */
class EmbeddedAuthorizationServerIT {

	private static EmbeddedAuthorizationServer server;

	private static AnnotationConfigApplicationContext resourceServer;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		server = EmbeddedAuthorizationServer.start("http://127.0.0.1:1");
		resourceServer = new AnnotationConfigApplicationContext();
		resourceServer.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("issuer", new HashMap<>(server.resourceServerProperties())));
		resourceServer.register(JwtConfiguration.class);
		resourceServer.refresh();
	}

	@AfterAll
	static void stop() {
		if (resourceServer != null) {
			resourceServer.close();
		}
		if (server != null) {
			server.close();
		}
	}

	@Test
	void aPersonalClientTokenActsAsItsUserWithItsRole() throws Exception {
		HttpResponse<String> response = token("modality", "modality-demo");
		assertThat(response.statusCode()).isEqualTo(200);
		String accessToken = JsonMapper.builder().build().readTree(response.body()).path("access_token").asString();

		Authentication caller = resourceServer.getBean(JwtAuthenticationConverter.class)
			.convert(resourceServer.getBean(JwtDecoder.class).decode(accessToken));

		assertThat(caller.getName()).isEqualTo("modality");
		assertThat(caller.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.contains("ROLE_UPLOADER")
			.doesNotContain("ROLE_USER", "ROLE_ADMIN");
	}

	@Test
	void aWrongClientSecretGetsNoToken() throws Exception {
		assertThat(token("alice", "not-alice-demo").statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> token(String client, String secret) throws Exception {
		String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
		return this.http.send(HttpRequest.newBuilder(URI.create(server.tokenUri()))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
