package io.dicomflow.standalone.auth;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.dicomflow.standalone.DemoUsers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Clients and users of the embedded authorization server.
 *
 * <ul>
 * <li>{@code dicomflow-portal}: the portal page, authorization code with PKCE (a public client in a browser);
 * <li>one confidential client per demo user, named and secreted like the user ({@code alice}/{@code alice-demo}),
 * with the client-credentials grant: a personal API client whose tokens act as that user — what scripts,
 * curl and unattended uploaders use;
 * <li>{@code dicomflow-cli}: the command line, device authorization grant.
 * </ul>
 * Access tokens carry {@code sub} = the user id, {@code roles}, and {@code aud} = {@code dicomflow}.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class AuthorizationServerConfiguration {

	static final String AUDIENCE = "dicomflow";

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServerEndpoints(HttpSecurity http) throws Exception {
		return http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.oidc(Customizer.withDefaults());
		})
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.cors(Customizer.withDefaults())
			.exceptionHandling((errors) -> errors.defaultAuthenticationEntryPointFor(
					new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)))
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain loginPage(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.formLogin(Customizer.withDefaults())
			.build();
	}

	/** The portal page calls the token endpoint from its own origin. */
	@Bean
	UrlBasedCorsConfigurationSource corsConfigurationSource(@Value("${dicomflow.auth.portal-origin}") String portal) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.addAllowedOrigin(portal);
		cors.addAllowedMethod("*");
		cors.addAllowedHeader("*");
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		return source;
	}

	@Bean
	UserDetailsService demoUsers() {
		return new InMemoryUserDetailsManager(DemoUsers.ALL.stream()
			.map((u) -> User.withUsername(u.name()).password("{noop}" + u.password()).roles(u.role()).build())
			.toList());
	}

	@Bean
	RegisteredClientRepository clients(@Value("${dicomflow.auth.portal-origin}") String portal,
			@Value("${dicomflow.auth.access-token-ttl:1h}") Duration accessTokenTtl) {
		List<RegisteredClient> clients = new ArrayList<>();
		clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("dicomflow-portal")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(portal + "/")
			.scope("openid")
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(tokens(accessTokenTtl))
			.build());
		clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("dicomflow-cli")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.tokenSettings(tokens(accessTokenTtl))
			.build());
		for (DemoUsers.Demo user : DemoUsers.ALL) {
			clients.add(RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(user.name())
				.clientSecret("{noop}" + user.password())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenSettings(tokens(accessTokenTtl))
				.build());
		}
		return new InMemoryRegisteredClientRepository(clients);
	}

	private static TokenSettings tokens(Duration accessTokenTtl) {
		return TokenSettings.builder().accessTokenTimeToLive(accessTokenTtl).build();
	}

	/** Roles and audience in every access token; a personal client's token acts as its user. */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> dicomflowClaims() {
		return (context) -> {
			if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				return;
			}
			String userId = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
					? context.getRegisteredClient().getClientId() : context.getPrincipal().getName();
			DemoUsers.ALL.stream().filter((u) -> u.name().equals(userId)).findFirst().ifPresent((user) -> {
				context.getClaims().subject(user.name());
				context.getClaims().claim("roles", List.of(user.role()));
				context.getClaims().audience(List.of(AUDIENCE));
			});
		};
	}

	@Bean
	JWKSource<SecurityContext> signingKeys() {
		KeyPair pair = rsaKeyPair();
		RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
			.keyID(UUID.randomUUID().toString())
			.build();
		return new ImmutableJWKSet<>(new JWKSet(key));
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(@Value("${dicomflow.auth.issuer}") String issuer) {
		return AuthorizationServerSettings.builder().issuer(issuer).build();
	}

	private static KeyPair rsaKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
