package io.dicomflow.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-only transactions of the upload-service on a real streaming replica of the local PostgreSQL
 * (127.0.0.1:5432 → 127.0.0.1:5433, see .ci/setup-replica.sh): reads come from the replica, the caller's
 * own writes are visible at once (the primary answers while the replica lags), and reads still answer
 * from the primary while the replica is unreachable.
 *
 * <p>Lag is made with {@code pg_wal_replay_pause()} on the replica; the outage by closing a TCP relay that
 * sits between the service and the replica. The local PostgreSQL and RabbitMQ are used whatever
 * {@code -Dinfra} says: the replica streams from the local server. Without a streaming replica the tests
 * are skipped with the reason printed.
 */
class ReplicaRoutingIT {

	private static final String BASE = "/api/elements/";

	private static final int PRIMARY_PORT = Integer.getInteger("dicomflow.test.primary-port", 5432);

	private static final int REPLICA_PORT = Integer.getInteger("dicomflow.test.replica-port", 5433);

	private static Infrastructure infrastructure;

	private static DicomflowServices services;

	private static TcpRelay relay;

	private static RestClient http;

	private static String primaryUrl;

	private static String replicaUrl;

	@BeforeAll
	static void start() throws Exception {
		String reason = replicaProblem();
		if (reason != null) {
			System.out.println("ReplicaRoutingIT skipped: " + reason + " (run .ci/setup-replica.sh as root)");
			Assumptions.abort(reason);
		}
		infrastructure = Infrastructure.start(new InfraOptions(InfraOptions.Mode.LOCAL, null, false));
		Map<String, Object> db = infrastructure.springProperties();
		primaryUrl = (String) db.get("spring.datasource.url");
		String database = primaryUrl.substring(primaryUrl.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
		replicaUrl = "jdbc:postgresql://127.0.0.1:" + REPLICA_PORT + "/" + database;
		// the per-run database reaches the replica through the WAL like everything else
		await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
			try (Connection c = DriverManager.getConnection(replicaUrl, "postgres", "")) {
				return c.isValid(1);
			}
		});
		relay = new TcpRelay(REPLICA_PORT);
		Map<String, Object> properties = smallPools(Pipeline.serviceProperties(infrastructure));
		properties.put("dicomflow.datasource.replica.url",
				"jdbc:postgresql://127.0.0.1:" + relay.port() + "/" + database);
		properties.put("dicomflow.datasource.replica.retry-after", "1s");
		services = DicomflowServices.start(properties, 0);
		http = Pipeline.client(services.uploadUrl());
	}

	@AfterAll
	static void stop() {
		if (services != null) {
			services.close();
		}
		if (relay != null) {
			relay.close();
		}
		if (infrastructure != null) {
			infrastructure.close();
		}
	}

	/** Whatever a test did, the replica replays again and is reachable for the next one. */
	@AfterEach
	void restore() throws Exception {
		replica("select pg_wal_replay_resume()");
		relay.open();
		await().atMost(Duration.ofSeconds(30)).until(() -> replayCaughtUp());
	}

	@Test
	void readsComeFromTheReplicaAndEachCallerSeesTheirOwnWritesAtOnce() throws Exception {
		assertThat(send(HttpMethod.POST, "alice", BASE, "{\"id\": \"ryw-1\", \"data\": [\"1 2 3\"]}").status()).isEqualTo(201);
		// replica up and caught up: bob's read is served by the replica
		double fromReplica = reads("replica", "replica");
		assertThat(send(HttpMethod.GET, "bob", BASE, null).status()).isEqualTo(200);
		assertThat(reads("replica", "replica")).isGreaterThan(fromReplica);

		pauseReplay();
		// a write the replica does not replay while paused, made behind the service's back
		insertDirectly("bob", "direct-bob-1");
		assertThat(ids(send(HttpMethod.GET, "bob", BASE + "?source=api", null).body()))
			.as("bob's read comes from the paused replica, which lacks the new row")
			.doesNotContain("direct-bob-1");
		assertThat(send(HttpMethod.GET, "bob", BASE + "direct-bob-1/", null).status()).isEqualTo(404);

		// alice writes through the API while the replica lags: her reads go to the primary and see it
		double behind = reads("primary", "replica-behind");
		Response created = send(HttpMethod.POST, "alice", BASE, "{\"id\": \"ryw-2\", \"data\": [\"4 5 6\"]}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(send(HttpMethod.GET, "alice", BASE + "ryw-2/", null).status()).isEqualTo(200);
		assertThat(ids(send(HttpMethod.GET, "alice", BASE + "?source=api", null).body())).contains("ryw-1", "ryw-2");
		assertThat(reads("primary", "replica-behind")).isGreaterThanOrEqualTo(behind + 2);
		// the upload API too: an upload is readable by its uploader at once
		String file = "pydicom-MR_small.dcm";
		Pipeline.Response upload = uploadAs("alice", file);
		assertThat(upload.status()).as("%s", upload.body()).isEqualTo(202);
		String uploadId = upload.body().path("uploadId").asString();
		assertThat(send(HttpMethod.GET, "alice", "/api/uploads/" + uploadId, null).status()).isEqualTo(200);
		// bob did not write through the service: his reads stay on the lagging replica
		assertThat(ids(send(HttpMethod.GET, "bob", BASE + "?source=api", null).body())).doesNotContain("direct-bob-1");
		assertThat(send(HttpMethod.GET, "bob", "/api/uploads/" + uploadId, null).status()).isEqualTo(404);

		replica("select pg_wal_replay_resume()");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ids(send(HttpMethod.GET, "bob", BASE + "?source=api", null).body()).contains("direct-bob-1"));
		// once the replica has replayed alice's write, her reads go back to the replica
		double aliceFromReplica = reads("replica", "replica");
		assertThat(ids(send(HttpMethod.GET, "alice", BASE + "?source=api", null).body())).contains("ryw-1", "ryw-2");
		assertThat(reads("replica", "replica")).isGreaterThan(aliceFromReplica);
	}

	@Test
	void readsAnswerFromThePrimaryWhileTheReplicaIsDown() throws Exception {
		pauseReplay();
		insertDirectly("bob", "direct-bob-2");
		assertThat(ids(send(HttpMethod.GET, "bob", BASE + "?source=api", null).body())).doesNotContain("direct-bob-2");

		relay.close();
		double down = reads("primary", "replica-down");
		Response list = send(HttpMethod.GET, "bob", BASE + "?source=api", null);
		assertThat(list.status()).isEqualTo(200);
		assertThat(ids(list.body())).as("answered by the primary").contains("direct-bob-2");
		assertThat(send(HttpMethod.GET, "bob", BASE + "direct-bob-2/", null).status()).isEqualTo(200);
		assertThat(reads("primary", "replica-down")).isGreaterThanOrEqualTo(down + 2);
		// writes never needed the replica
		assertThat(send(HttpMethod.POST, "bob", BASE, "{\"id\": \"during-outage\", \"data\": [\"7\"]}").status())
			.isEqualTo(201);
		assertThat(send(HttpMethod.GET, "bob", BASE + "during-outage/", null).status()).isEqualTo(200);

		// back: after the retry interval the replica serves reads again (still paused, so bob sees the old state)
		relay.open();
		double fromReplica = reads("replica", "replica");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !ids(send(HttpMethod.GET, "admin", BASE + "?source=api&owner=bob", null).body()).contains("direct-bob-2"));
		assertThat(reads("replica", "replica")).isGreaterThan(fromReplica);
	}

	@Test
	void theServiceStartsAndAnswersWhileTheReplicaIsUnreachable() throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		Map<String, Object> properties = smallPools(Pipeline.serviceProperties(infrastructure));
		properties.put("dicomflow.datasource.replica.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/dicomflow");
		try (DicomflowServices second = DicomflowServices.start(properties, 0)) {
			RestClient client = Pipeline.client(second.uploadUrl());
			MeterRegistry meters = second.upload().getBean(MeterRegistry.class);
			double down = meters.counter("dicomflow.datasource.reads", "target", "primary", "reason", "replica-down").count();
			int status = client.get()
				.uri(BASE + "?source=api")
				.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization("alice"))
				.exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).isEqualTo(200);
			assertThat(meters.counter("dicomflow.datasource.reads", "target", "primary", "reason", "replica-down").count())
				.isGreaterThan(down);
			assertThat(meters.counter("dicomflow.datasource.reads", "target", "replica", "reason", "replica").count()).isZero();
		}
	}

	// ---- helpers

	/**
	 * This class runs up to six services against the shared local PostgreSQL (default max_connections 100,
	 * also used by other test runs): a few connections each are plenty for these requests.
	 */
	private static Map<String, Object> smallPools(Map<String, Object> serviceProperties) {
		Map<String, Object> properties = new LinkedHashMap<>(serviceProperties);
		properties.put("spring.datasource.hikari.maximum-pool-size", 3);
		properties.put("spring.datasource.hikari.minimum-idle", 1);
		properties.put("dicomflow.datasource.replica.maximum-pool-size", 2);
		return properties;
	}

	private static double reads(String target, String reason) {
		MeterRegistry meters = services.upload().getBean(MeterRegistry.class);
		return meters.counter("dicomflow.datasource.reads", "target", target, "reason", reason).count();
	}

	private static void pauseReplay() throws Exception {
		replica("select pg_wal_replay_pause()");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "paused".equals(replicaValue("select pg_get_wal_replay_pause_state()")));
	}

	private static boolean replayCaughtUp() throws SQLException {
		String primaryLsn;
		try (Connection c = DriverManager.getConnection(primaryUrl, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
			rs.next();
			primaryLsn = rs.getString(1);
		}
		return "t".equals(replicaValue("select (pg_last_wal_replay_lsn() >= '" + primaryLsn + "'::pg_lsn)::text"))
				|| "true".equals(replicaValue("select (pg_last_wal_replay_lsn() >= '" + primaryLsn + "'::pg_lsn)::text"));
	}

	private static void replica(String sql) throws SQLException {
		replicaValue(sql);
	}

	private static String replicaValue(String sql) throws SQLException {
		try (Connection c = DriverManager.getConnection(replicaUrl, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getString(1);
		}
	}

	private static void insertDirectly(String owner, String id) throws SQLException {
		try (Connection c = DriverManager.getConnection(primaryUrl, "postgres", "");
				Statement s = c.createStatement()) {
			s.executeUpdate("insert into medical_image_result (id, element_id, owner, device_name, "
					+ "average_before_normalization, average_after_normalization, data_size, raw_data, analyzer_version, "
					+ "source) values ('" + UUID.randomUUID() + "', '" + id + "', '" + owner + "', 'direct', 1, 1, 1, "
					+ "'{}', 'test', 'api')");
		}
	}

	/** Null when a streaming replica of the primary answers on the replica port, else why not. */
	private static String replicaProblem() {
		String url = "jdbc:postgresql://127.0.0.1:" + REPLICA_PORT + "/postgres";
		try (Connection c = DriverManager.getConnection(url, "postgres", "");
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("select pg_is_in_recovery(), "
						+ "(select status from pg_stat_wal_receiver), (select conninfo from pg_stat_wal_receiver)")) {
			rs.next();
			if (!rs.getBoolean(1)) {
				return "127.0.0.1:" + REPLICA_PORT + " is not a standby";
			}
			if (!"streaming".equals(rs.getString(2))) {
				return "the standby on 127.0.0.1:" + REPLICA_PORT + " is not streaming";
			}
			String conninfo = String.valueOf(rs.getString(3));
			if (!conninfo.contains("port=" + PRIMARY_PORT)) {
				return "the standby on 127.0.0.1:" + REPLICA_PORT + " does not stream from port " + PRIMARY_PORT;
			}
			return null;
		}
		catch (SQLException ex) {
			return "no replica on 127.0.0.1:" + REPLICA_PORT + ": " + ex.getMessage();
		}
	}

	private static List<String> ids(JsonNode page) {
		List<String> ids = new ArrayList<>();
		page.path("content").forEach((e) -> ids.add(e.path("id").asString()));
		return ids;
	}

	record Response(int status, JsonNode body) {
	}

	private static Response send(HttpMethod method, String user, String path, String body) {
		var request = http.method(method).uri(path).header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user));
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, response) -> {
			byte[] bytes = response.getBody().readAllBytes();
			return new Response(response.getStatusCode().value(),
					(bytes.length == 0) ? Pipeline.JSON.missingNode() : Pipeline.JSON.readTree(bytes));
		});
	}

	private static Pipeline.Response uploadAs(String user, String file) {
		var parts = new org.springframework.http.client.MultipartBodyBuilder();
		parts.part("files", new org.springframework.core.io.ByteArrayResource(Pipeline.corpus(file)) {
			@Override
			public String getFilename() {
				return file;
			}
		}).contentType(MediaType.parseMediaType("application/dicom"));
		return http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, Pipeline.authorization(user))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts.build())
			.exchange((request, response) -> {
				byte[] bytes = response.getBody().readAllBytes();
				return new Pipeline.Response(response.getStatusCode().value(), response.getHeaders().getContentType(),
						(bytes.length == 0) ? Pipeline.JSON.missingNode() : Pipeline.JSON.readTree(bytes));
			});
	}

	/**
	 * A TCP relay to the replica on a fixed local port: {@link #close()} drops the listener and every
	 * relayed connection (the service sees the replica vanish), {@link #open()} listens again on the same port.
	 */
	static final class TcpRelay implements AutoCloseable {

		private final int target;

		private final int port;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		private volatile ServerSocket server;

		TcpRelay(int target) throws IOException {
			this.target = target;
			try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
				this.port = probe.getLocalPort();
			}
			open();
		}

		int port() {
			return this.port;
		}

		synchronized void open() throws IOException {
			if (this.server != null) {
				return;
			}
			ServerSocket listening = new ServerSocket();
			listening.setReuseAddress(true);
			listening.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			this.server = listening;
			Thread accept = new Thread(() -> {
				while (!listening.isClosed()) {
					try {
						Socket client = listening.accept();
						Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
						this.sockets.add(client);
						this.sockets.add(upstream);
						pump(client, upstream);
						pump(upstream, client);
					}
					catch (IOException closed) {
						// the listener was closed, or the replica refused: the client sees its socket close
					}
				}
			}, "replica-relay-accept");
			accept.setDaemon(true);
			accept.start();
		}

		private void pump(Socket from, Socket to) {
			Thread thread = new Thread(() -> {
				try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
					in.transferTo(out);
				}
				catch (IOException ex) {
					// either side closed
				}
				finally {
					closeQuietly(from);
					closeQuietly(to);
				}
			}, "replica-relay-pump");
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public synchronized void close() {
			if (this.server != null) {
				closeQuietly(this.server);
				this.server = null;
			}
			this.sockets.forEach(TcpRelay::closeQuietly);
			this.sockets.clear();
		}

		private static void closeQuietly(AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// already closed
			}
		}

	}

}
