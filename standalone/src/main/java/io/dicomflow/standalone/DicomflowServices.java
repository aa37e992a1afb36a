package io.dicomflow.standalone;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.dicomflow.notification.NotificationServiceApplication;
import io.dicomflow.standalone.auth.EmbeddedAuthorizationServer;
import io.dicomflow.upload.UploadServiceApplication;
import io.dicomflow.worker.AnalysisWorkerApplication;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The three services started against given infrastructure. Used by the standalone launcher and by the
 * end-to-end tests, so that both run the product the same way.
 */
public final class DicomflowServices implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts;

	private final ConfigurableApplicationContext upload;

	private final ConfigurableApplicationContext notification;

	private final ConfigurableApplicationContext worker;

	/** Host part of the URLs of the three services. */
	private final String host;

	private DicomflowServices(ConfigurableApplicationContext notification, ConfigurableApplicationContext worker,
			ConfigurableApplicationContext upload, String host) {
		this.host = host;
		this.notification = notification;
		this.worker = worker;
		this.upload = upload;
		this.contexts = List.of(upload, worker, notification);
	}

	/**
	 * Starts notification service, worker and upload service, in that order (the upload service needs the
	 * notification endpoint's address for its portal).
	 * @param properties infrastructure connection properties plus any overrides, applied to all three
	 * @param uploadPort HTTP port of the upload service, 0 for a free one
	 */
	public static DicomflowServices start(Map<String, Object> properties, int uploadPort) {
		return start(properties, uploadPort, BindAddress.LOOPBACK);
	}

	/**
	 * As {@link #start(Map, int)}, the three HTTP servers listening on {@code bind} only.
	 */
	public static DicomflowServices start(Map<String, Object> properties, int uploadPort, BindAddress bind) {
		Map<String, Object> withAddress = new LinkedHashMap<>(properties);
		withAddress.put("server.address", bind.serverAddress());
		String host = bind.urlHost();
		// chosen before the notification service starts: the portal's origin is the one its WebSocket accepts
		int portalPort = (uploadPort != 0) ? uploadPort : EmbeddedAuthorizationServer.freePort();
		withAddress.putIfAbsent("dicomflow.notification.portal-url", "http://" + host + ":" + portalPort + "/");
		List<ConfigurableApplicationContext> started = new ArrayList<>();
		try {
			ConfigurableApplicationContext notification = launch(NotificationServiceApplication::start, withAddress,
					Map.of("server.port", 0));
			started.add(notification);
			// the portal's admin view calls the worker's admin API from the portal's origin
			ConfigurableApplicationContext worker = launch(AnalysisWorkerApplication::start, withAddress,
					Map.of("server.port", 0, "dicomflow.admin.allowed-origins", "http://" + host + ":" + portalPort));
			started.add(worker);
			String wsUrl = "ws://" + host + ":" + port(notification) + "/ws";
			ConfigurableApplicationContext upload = launch(UploadServiceApplication::start, withAddress,
					Map.of("server.port", portalPort, "dicomflow.portal.notifications-url", wsUrl,
							"dicomflow.portal.worker-url", "http://" + host + ":" + port(worker)));
			return new DicomflowServices(notification, worker, upload, host);
		}
		catch (RuntimeException ex) {
			started.forEach(ConfigurableApplicationContext::close);
			throw ex;
		}
	}

	/**
	 * One more analysis worker against the same infrastructure (workers scale out as competing consumers); the
	 * caller closes it.
	 */
	public static ConfigurableApplicationContext startAnalysisWorker(Map<String, Object> properties) {
		return launch(AnalysisWorkerApplication::start, properties, Map.of("server.port", 0));
	}

	private static ConfigurableApplicationContext launch(
			Function<String[], ConfigurableApplicationContext> service, Map<String, Object> properties,
			Map<String, Object> own) {
		Map<String, Object> all = new LinkedHashMap<>();
		// the embedded Qpid broker logs every connection and channel at INFO
		all.put("logging.level.qpid", "WARN");
		// three services share one database server here; Hikari's default of 10 each is more than one JVM needs
		all.put("spring.datasource.hikari.maximum-pool-size", 4);
		// health, metrics and Prometheus: a free port per service, on this machine only whatever the services'
		// bind address (never the portal's port, where the public would reach it)
		all.put("management.server.port", 0);
		all.put("management.server.address", BindAddress.LOOPBACK.serverAddress());
		// the authorization server's auto-configuration is on this classpath for the embedded issuer only
		all.put("spring.autoconfigure.exclude", String.join(",",
				"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
				"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration"));
		all.putAll(properties);
		all.putAll(own);
		// command-line arguments outrank the services' own config files and environment placeholders
		return service.apply(all.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	public String uploadUrl() {
		return "http://" + this.host + ":" + port(this.upload);
	}

	public String notificationWebSocketUrl() {
		return "ws://" + this.host + ":" + port(this.notification) + "/ws";
	}

	/** The upload service's DICOM Storage SCP port, or -1 when it is not enabled. */
	public int dimsePort() {
		return this.upload.getBean(io.dicomflow.upload.dimse.StorageScp.class).localPort();
	}

	/** The Storage SCP's AE title. */
	public String dimseAeTitle() {
		return this.upload.getBean(io.dicomflow.upload.dimse.DimseProperties.class).aeTitle();
	}

	public String workerUrl() {
		return "http://" + this.host + ":" + port(this.worker);
	}

	/**
	 * Base URL of a service's management server (health, metrics, Prometheus), separate from its API port and
	 * on the loopback interface.
	 */
	public static String managementUrl(ConfigurableApplicationContext context) {
		return "http://" + BindAddress.LOOPBACK.urlHost() + ":"
				+ context.getEnvironment().getRequiredProperty("local.management.port");
	}

	public ConfigurableApplicationContext upload() {
		return this.upload;
	}

	public ConfigurableApplicationContext worker() {
		return this.worker;
	}

	public ConfigurableApplicationContext notification() {
		return this.notification;
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
