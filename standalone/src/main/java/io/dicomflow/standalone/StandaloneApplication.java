package io.dicomflow.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.dicomflow.standalone.auth.EmbeddedAuthorizationServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded infrastructure and the three services, prints where everything is, and keeps running
 * until interrupted. Data (database, broker store, objects) lives under one directory, so a restart keeps
 * every upload and pending message. The HTTP servers listen on 127.0.0.1 unless
 * {@value BindAddress#VARIABLE} says otherwise.
 */
public final class StandaloneApplication {

	private static final Logger log = LoggerFactory.getLogger(StandaloneApplication.class);

	private StandaloneApplication() {
	}

	/**
	 * What the launcher reads from its environment.
	 *
	 * @param dataDir where everything is stored ({@code DICOMFLOW_DATA_DIR}, default {@code standalone-data})
	 * @param port HTTP port of the portal and REST API ({@code DICOMFLOW_PORT}, default 0: a free one)
	 * @param bind where the HTTP servers listen ({@value BindAddress#VARIABLE}, default 127.0.0.1)
	 */
	public record Settings(Path dataDir, int port, BindAddress bind) {

		public static Settings from(Map<String, String> env) {
			return new Settings(Path.of(value(env, "DICOMFLOW_DATA_DIR", "standalone-data")).toAbsolutePath(),
					Integer.parseInt(value(env, "DICOMFLOW_PORT", "0")),
					BindAddress.parse(env.get(BindAddress.VARIABLE)));
		}

		private static String value(Map<String, String> env, String name, String fallback) {
			String value = env.get(name);
			return (value == null || value.isBlank()) ? fallback : value;
		}

	}

	/**
	 * The running product.
	 *
	 * @param services the three services
	 * @param issuer the embedded authorization server
	 * @param infrastructure the embedded servers
	 * @param banner what the launcher prints once everything is up
	 */
	public record Running(DicomflowServices services, EmbeddedAuthorizationServer issuer,
			Infrastructure infrastructure, String banner) implements AutoCloseable {

		@Override
		public void close() {
			this.services.close();
			this.issuer.close();
			this.infrastructure.close();
		}

	}

	public static void main(String[] args) throws IOException {
		// One ordered shutdown (closeFirstAtExit in start): services, issuer, then the servers under them. The JVM
		// runs shutdown hooks concurrently, so Spring's hook (contexts, then the logging system) must not run beside
		// it: the contexts would race the servers going away, and the log would stop before the shutdown is over.
		System.setProperty("spring.main.register-shutdown-hook", "false");
		System.setProperty("logging.register-shutdown-hook", "false");
		Running running = start(Settings.from(System.getenv()));
		log.info(running.banner());
	}

	/** Starts everything; the caller closes it (or the JVM's exit does, in order). */
	public static Running start(Settings settings) throws IOException {
		Path dataDir = settings.dataDir();
		BindAddress bind = settings.bind();
		// chosen now: the authorization server must know the portal's address before the portal starts
		int port = (settings.port() != 0) ? settings.port() : EmbeddedAuthorizationServer.freePort();
		Files.createDirectories(dataDir);
		long start = System.nanoTime();
		Infrastructure infrastructure = Infrastructure.start(InfraOptions.standalone(dataDir));
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.putAll(DemoUsers.properties());
		properties.putAll(DemoUsers.dimseProperties(bind.serverAddress()));
		EmbeddedAuthorizationServer auth = null;
		DicomflowServices services;
		try {
			auth = EmbeddedAuthorizationServer.start("http://" + bind.urlHost() + ":" + port, bind.serverAddress(),
					bind.urlHost());
			properties.putAll(auth.resourceServerProperties());
			properties.put("dicomflow.portal.issuer", auth.issuer());
			services = DicomflowServices.start(properties, port, bind);
		}
		catch (RuntimeException ex) {
			if (auth != null) {
				auth.close();
			}
			infrastructure.close();
			throw ex;
		}
		// one ordered shutdown: services (in-flight work finishes), then the issuer, then the servers under them
		infrastructure.closeFirstAtExit(services);
		infrastructure.closeFirstAtExit(auth);
		String banner = banner(services, auth, infrastructure, bind, dataDir, (System.nanoTime() - start) / 1_000_000);
		Files.writeString(dataDir.resolve("dicomflow.env"),
				"export DICOMFLOW_URL=" + services.uploadUrl() + "\nexport DICOMFLOW_WS_URL="
						+ services.notificationWebSocketUrl() + "\nexport DICOMFLOW_TOKEN_URL=" + auth.tokenUri()
						+ "\nexport DICOMFLOW_IMAP_PORT="
						+ infrastructure.springProperties().get("dicomflow.mail.imap-port") + "\nexport DICOMFLOW_DIMSE_PORT="
						+ services.dimsePort() + "\nexport DICOMFLOW_DIMSE_AET=" + services.dimseAeTitle()
						+ "\nexport DICOMFLOW_DIMSE_SCU_AET=" + DemoUsers.SCU_AE_TITLE + "\n");
		return new Running(services, auth, infrastructure, banner);
	}

	private static String banner(DicomflowServices services, EmbeddedAuthorizationServer auth,
			Infrastructure infrastructure, BindAddress bind, Path dataDir, long millis) {
		StringBuilder text = new StringBuilder("\n\n  dicomflow is running (started in " + millis + " ms)\n\n");
		text.append("  Listening on:         ").append(bind.describe()).append('\n');
		text.append("  Portal and REST API:  ").append(services.uploadUrl()).append('\n');
		text.append("  WebSocket (STOMP):    ").append(services.notificationWebSocketUrl()).append('\n');
		text.append("  Token issuer:         ").append(auth.issuer()).append('\n');
		text.append("  DICOM C-STORE SCP:    ").append(services.dimseAeTitle()).append(" @ ").append(bind.urlHost())
			.append(':').append(services.dimsePort()).append(" (calling AE ").append(DemoUsers.SCU_AE_TITLE)
			.append(" uploads as alice: storescu -aet ").append(DemoUsers.SCU_AE_TITLE).append(" -aec ")
			.append(services.dimseAeTitle()).append(' ').append(bind.urlHost()).append(' ')
			.append(services.dimsePort()).append(" files...)\n");
		text.append("  Metrics (this host):  ")
			.append(DicomflowServices.managementUrl(services.upload()))
			.append("/actuator/prometheus (upload), ")
			.append(DicomflowServices.managementUrl(services.worker()))
			.append(" (worker), ")
			.append(DicomflowServices.managementUrl(services.notification()))
			.append(" (notification)\n");
		text.append("  Demo users:           ");
		DemoUsers.ALL.forEach((u) -> text.append(u.name()).append(" / ").append(u.password())
			.append(" (").append(u.role()).append(")   "));
		text.append("\n  Get a token:          curl -s -u alice:alice-demo -d grant_type=client_credentials ")
			.append(auth.tokenUri());
		text.append("\n  Infrastructure (127.0.0.1 only):\n");
		infrastructure.describe().forEach((line) -> text.append("    - ").append(line).append('\n'));
		text.append("  Data directory:       ").append(dataDir).append('\n');
		text.append("  Shell settings:       source ").append(dataDir.resolve("dicomflow.env")).append('\n');
		text.append("  Read demo mail:       curl -u alice@dicomflow.test:alice@dicomflow.test 'imap://127.0.0.1:")
			.append(infrastructure.springProperties().get("dicomflow.mail.imap-port"))
			.append("/INBOX;MAILINDEX=1'\n");
		return text.toString();
	}

}
