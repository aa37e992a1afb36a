package io.dicomflow.standalone.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Runs {@link AuthorizationServerConfiguration} in its own application context on a free port. */
public final class EmbeddedAuthorizationServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final String issuer;

	private EmbeddedAuthorizationServer(ConfigurableApplicationContext context, String issuer) {
		this.context = context;
		this.issuer = issuer;
	}

	/**
	 * @param portalOrigin origin of the portal page (its redirect URI and the token endpoint's CORS origin)
	 */
	public static EmbeddedAuthorizationServer start(String portalOrigin) {
		return start(portalOrigin, "127.0.0.1", "127.0.0.1");
	}

	/**
	 * @param portalOrigin origin of the portal page (its redirect URI and the token endpoint's CORS origin)
	 * @param serverAddress the address to listen on ({@code server.address})
	 * @param urlHost the host of the issuer URL
	 */
	public static EmbeddedAuthorizationServer start(String portalOrigin, String serverAddress, String urlHost) {
		return start(portalOrigin, serverAddress, urlHost, java.time.Duration.ofHours(1));
	}

	/**
	 * As {@link #start(String, String, String)}, with access tokens that live {@code accessTokenTtl} (tests of
	 * token renewal use short-lived ones).
	 */
	public static EmbeddedAuthorizationServer start(String portalOrigin, String serverAddress, String urlHost,
			java.time.Duration accessTokenTtl) {
		int port = freePort();
		String issuer = "http://" + urlHost + ":" + port;
		ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthorizationServerConfiguration.class)
			.properties("spring.config.name=auth-server")
			.run("--server.port=" + port, "--server.address=" + serverAddress, "--dicomflow.auth.issuer=" + issuer,
					"--dicomflow.auth.portal-origin=" + portalOrigin,
					"--dicomflow.auth.access-token-ttl=" + accessTokenTtl.toSeconds() + "s");
		return new EmbeddedAuthorizationServer(context, issuer);
	}

	public String issuer() {
		return this.issuer;
	}

	public String jwkSetUri() {
		return this.issuer + "/oauth2/jwks";
	}

	public String tokenUri() {
		return this.issuer + "/oauth2/token";
	}

	/** Properties that make a service trust this server's tokens. */
	public java.util.Map<String, Object> resourceServerProperties() {
		return java.util.Map.of("dicomflow.security.jwt.issuer-uri", this.issuer, "dicomflow.security.jwt.jwk-set-uri",
				jwkSetUri(), "dicomflow.security.jwt.audience", AuthorizationServerConfiguration.AUDIENCE);
	}

	/** A free port, chosen now (the issuer URL must be known before the server starts). */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port it listens on. */
	public int port() {
		return ((org.springframework.boot.web.server.context.WebServerApplicationContext) this.context).getWebServer()
			.getPort();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
