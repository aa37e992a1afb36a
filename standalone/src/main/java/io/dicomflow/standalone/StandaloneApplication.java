package io.dicomflow.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded infrastructure and the three services, prints where everything is, and keeps running
 * until interrupted. Data (database, broker store, objects) lives under one directory, so a restart keeps
 * every upload and pending message.
 */
public final class StandaloneApplication {

	private static final Logger log = LoggerFactory.getLogger(StandaloneApplication.class);

	private StandaloneApplication() {
	}

	public static void main(String[] args) throws IOException {
		Path dataDir = Path.of(env("DICOMFLOW_DATA_DIR", "standalone-data")).toAbsolutePath();
		int port = Integer.parseInt(env("DICOMFLOW_PORT", "0"));
		Files.createDirectories(dataDir);
		long start = System.nanoTime();
		Infrastructure infrastructure = Infrastructure.start(InfraOptions.standalone(dataDir));
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.putAll(DemoUsers.properties());
		DicomflowServices services;
		try {
			services = DicomflowServices.start(properties, port);
		}
		catch (RuntimeException ex) {
			infrastructure.close();
			throw ex;
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			services.close();
			infrastructure.close();
		}, "dicomflow-shutdown"));
		String banner = banner(services, infrastructure, dataDir, (System.nanoTime() - start) / 1_000_000);
		Files.writeString(dataDir.resolve("dicomflow.env"),
				"export DICOMFLOW_URL=" + services.uploadUrl() + "\nexport DICOMFLOW_WS_URL="
						+ services.notificationWebSocketUrl() + "\nexport DICOMFLOW_IMAP_PORT="
						+ infrastructure.springProperties().get("dicomflow.mail.imap-port") + "\n");
		log.info(banner);
	}

	private static String banner(DicomflowServices services, Infrastructure infrastructure, Path dataDir,
			long millis) {
		StringBuilder text = new StringBuilder("\n\n  dicomflow is running (started in " + millis + " ms)\n\n");
		text.append("  Portal and REST API:  ").append(services.uploadUrl()).append('\n');
		text.append("  WebSocket (STOMP):    ").append(services.notificationWebSocketUrl()).append('\n');
		text.append("  Demo users:           ");
		DemoUsers.ALL.forEach((u) -> text.append(u.name()).append(" / ").append(u.password()).append("   "));
		text.append("\n  Infrastructure:\n");
		infrastructure.describe().forEach((line) -> text.append("    - ").append(line).append('\n'));
		text.append("  Data directory:       ").append(dataDir).append('\n');
		text.append("  Shell settings:       source ").append(dataDir.resolve("dicomflow.env")).append('\n');
		text.append("  Read demo mail:       curl -u alice@dicomflow.test:alice@dicomflow.test 'imap://127.0.0.1:")
			.append(infrastructure.springProperties().get("dicomflow.mail.imap-port"))
			.append("/INBOX;MAILINDEX=1'\n");
		return text.toString();
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
