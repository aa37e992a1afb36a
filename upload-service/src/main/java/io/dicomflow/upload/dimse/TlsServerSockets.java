package io.dicomflow.upload.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Makes the SCP's listening socket: a plain {@link ServerSocket}, or with {@code dicomflow.dimse.tls.enabled} an
 * {@link SSLServerSocket} of an {@link SSLContext} built from the configured key and trust stores, offering only
 * the configured protocol versions and asking for client certificates as configured. A store that cannot be read
 * fails the start, saying which one (never its password).
 */
final class TlsServerSockets {

	private TlsServerSockets() {
	}

	/** An unbound server socket for {@code tls}. */
	static ServerSocket create(DimseProperties.Tls tls) throws IOException {
		if (!tls.enabled()) {
			return new ServerSocket();
		}
		SSLServerSocket socket = (SSLServerSocket) context(tls).getServerSocketFactory().createServerSocket();
		socket.setEnabledProtocols(tls.protocols().toArray(String[]::new));
		switch (tls.clientAuth()) {
			case NEED -> socket.setNeedClientAuth(true);
			case WANT -> socket.setWantClientAuth(true);
			case NONE -> socket.setNeedClientAuth(false);
		}
		return socket;
	}

	/** The SSL context of the SCP's key (and, when client certificates are asked for, its trust anchors). */
	static SSLContext context(DimseProperties.Tls tls) {
		try {
			char[] keyPassword = tls.keystorePassword().toCharArray();
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(load("dicomflow.dimse.tls.keystore", tls.keystore(), tls.keystoreType(), keyPassword),
					keyPassword);
			TrustManagerFactory trust = null;
			if (!tls.truststore().isBlank()) {
				trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trust.init(load("dicomflow.dimse.tls.truststore", tls.truststore(), tls.truststoreType(),
						tls.truststorePassword().toCharArray()));
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), (trust != null) ? trust.getTrustManagers() : null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("DIMSE TLS: cannot set up the key or trust store: " + ex.getMessage(), ex);
		}
	}

	private static KeyStore load(String property, String path, String type, char[] password)
			throws GeneralSecurityException {
		try (InputStream in = Files.newInputStream(Path.of(path))) {
			KeyStore store = KeyStore.getInstance(type.toUpperCase(java.util.Locale.ROOT));
			store.load(in, password);
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(property + " " + path + " cannot be read: " + ex.getMessage(), ex);
		}
	}

}
