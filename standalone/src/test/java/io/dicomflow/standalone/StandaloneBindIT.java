package io.dicomflow.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The standalone launcher as a user starts it, with nothing configured: every port it opens (the four HTTP
 * servers, the three services' management servers, the DICOM Storage SCP and the embedded PostgreSQL, AMQP broker, S3 and SMTP/IMAP servers) answers on 127.0.0.1 and
 * refuses connections on the machine's other addresses, and the banner says so.
 */
class StandaloneBindIT {

	@Test
	void byDefaultEveryPortListensOnLoopbackOnly(@TempDir Path dataDir) throws Exception {
		StandaloneApplication.Settings settings = StandaloneApplication.Settings
			.from(Map.of("DICOMFLOW_DATA_DIR", dataDir.toString()));
		try (StandaloneApplication.Running running = StandaloneApplication.start(settings)) {
			Map<String, Integer> ports = ports(running);
			assertThat(ports).hasSize(13);

			List<String> closedOnLoopback = new ArrayList<>();
			ports.forEach((name, port) -> {
				if (!accepts(InetAddress.getLoopbackAddress(), port)) {
					closedOnLoopback.add(name + " :" + port);
				}
			});
			assertThat(closedOnLoopback).as("ports that should answer on 127.0.0.1").isEmpty();

			assertThat(running.banner()).contains("Listening on:         127.0.0.1 only")
				.contains(BindAddress.VARIABLE)
				.contains("Portal and REST API:  http://127.0.0.1:" + ports.get("portal"))
				.contains("DICOM C-STORE SCP:    DICOMFLOW @ 127.0.0.1:" + ports.get("dicom"))
				.contains("Metrics (this host):  http://127.0.0.1:" + ports.get("upload management")
						+ "/actuator/prometheus");
			assertThat(java.nio.file.Files.readString(dataDir.resolve("dicomflow.env")))
				.contains("export DICOMFLOW_DIMSE_PORT=" + ports.get("dicom") + "\n")
				.contains("export DICOMFLOW_DIMSE_AET=DICOMFLOW\n")
				.contains("export DICOMFLOW_DIMSE_SCU_AET=DICOMFLOW_SCU\n");

			Optional<InetAddress> external = nonLoopbackAddress();
			Assumptions.assumeTrue(external.isPresent(),
					"this machine has no non-loopback address: cannot check the ports are closed on one");
			List<String> openOutside = new ArrayList<>();
			ports.forEach((name, port) -> {
				if (accepts(external.get(), port)) {
					openOutside.add(name + " " + external.get().getHostAddress() + ":" + port);
				}
			});
			assertThat(openOutside).as("ports reachable on a non-loopback address").isEmpty();
		}
	}

	@Test
	void theBindAddressMustBeAnIpAddress() {
		assertThat(BindAddress.parse(null).address().isLoopbackAddress()).isTrue();
		assertThat(BindAddress.parse(" ").serverAddress()).isEqualTo("127.0.0.1");
		assertThat(BindAddress.parse("0.0.0.0").urlHost()).isEqualTo("127.0.0.1");
		assertThat(BindAddress.parse("0.0.0.0").describe()).contains("every interface");
		assertThat(BindAddress.parse("192.0.2.7").urlHost()).isEqualTo("192.0.2.7");
		assertThat(BindAddress.parse("::1").urlHost()).isEqualTo("[0:0:0:0:0:0:0:1]");
		assertThatThrownBy(() -> BindAddress.parse("example.org")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(BindAddress.VARIABLE);
	}

	/** Every port the running product listens on, by what it is. */
	private static Map<String, Integer> ports(StandaloneApplication.Running running) {
		Map<String, Object> infra = running.infrastructure().springProperties();
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("portal", URI.create(running.services().uploadUrl()).getPort());
		ports.put("dicom", running.services().dimsePort());
		ports.put("notifications", URI.create(running.services().notificationWebSocketUrl()).getPort());
		ports.put("worker", URI.create(running.services().workerUrl()).getPort());
		ports.put("issuer", running.issuer().port());
		ports.put("upload management", URI.create(DicomflowServices.managementUrl(running.services().upload())).getPort());
		ports.put("worker management", URI.create(DicomflowServices.managementUrl(running.services().worker())).getPort());
		ports.put("notification management",
				URI.create(DicomflowServices.managementUrl(running.services().notification())).getPort());
		ports.put("postgresql",
				URI.create(infra.get("spring.datasource.url").toString().substring("jdbc:".length())).getPort());
		ports.put("amqp", Integer.parseInt(infra.get("spring.rabbitmq.port").toString()));
		ports.put("s3", URI.create(infra.get("dicomflow.storage.endpoint").toString()).getPort());
		ports.put("smtp", Integer.parseInt(infra.get("spring.mail.port").toString()));
		ports.put("imap", Integer.parseInt(infra.get("dicomflow.mail.imap-port").toString()));
		return ports;
	}

	private static boolean accepts(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.filter((nic) -> {
				try {
					return nic.isUp() && !nic.isLoopback();
				}
				catch (SocketException ex) {
					return false;
				}
			})
			.flatMap(NetworkInterface::inetAddresses)
			// IPv4 first: an IPv6 link-local address needs a scope to connect to
			.filter((a) -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress())
			.sorted((a, b) -> Boolean.compare(a instanceof java.net.Inet6Address, b instanceof java.net.Inet6Address))
			.findFirst();
	}

}
