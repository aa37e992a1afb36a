package io.dicomflow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end ingest benchmark driven by {@code bench/e2e.sh}: uploads synthetic CT instances one file per
 * {@code POST /api/uploads} (as a modality sends them) at several concurrencies over keep-alive connections,
 * waits until every file is NOTIFIED, and reports throughput, per-stage latencies from the files' state
 * transitions (read from the database), end-to-end latency, CPU per instance of every process involved and
 * peak RSS; optionally Orthanc's REST ingest ({@code POST /instances}) on the same files.
 *
 * <p>Subcommands: {@code run key=value...} (see {@link Options}), {@code keys <dir>} (an RSA key pair for
 * minted tokens: public.pem for the services, private.key for {@code run privateKey=}), {@code smtp <port>}
 * (an SMTP sink that accepts and discards every message).
 *
 * <p>Deliberately free of project dependencies (only the PostgreSQL driver), so the script can compile it
 * with javac against the classpath it has just built, without installing anything into ~/.m2.
 */
public final class EndToEnd {

	private static final Pattern FILE_ID = Pattern.compile("\"fileId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final Pattern UPLOAD_ID = Pattern.compile("\"uploadId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final String[] STAGES = {"RECEIVED", "STORED", "QUEUED", "ANALYZING", "DONE", "NOTIFIED"};

	private EndToEnd() {
	}

	public static void main(String[] args) throws Exception {
		switch (args.length == 0 ? "" : args[0]) {
			case "run" -> new Run(Options.parse(Arrays.copyOfRange(args, 1, args.length))).execute();
			case "keys" -> keys(Path.of(args[1]));
			case "smtp" -> smtpSink(Integer.parseInt(args[1]), args.length > 2 ? Path.of(args[2]) : null);
			default -> {
				System.err.println("usage: EndToEnd run key=value... | keys <dir> | smtp <port>");
				System.exit(2);
			}
		}
	}

	/**
	 * @param url the upload service's base URL
	 * @param token a bearer token, or empty to get one from tokenUrl / mint one with privateKey
	 * @param jdbc the product's database (read-only use: completion polling and the transitions)
	 * @param procs root pids whose process trees are measured (CPU, RSS)
	 * @param procMatch command-line substrings selecting further processes (and their trees) to measure
	 * @param heapPid the JVM whose heap is sampled with jstat during the multi-frame upload
	 */
	record Options(String url, String token, String tokenUrl, String clientId, String clientSecret,
			String privateKey, String subject, String jdbc, String jdbcUser, List<Long> procs, List<String> procMatch,
			long heapPid, String orthancUrl, long orthancPid, int n, List<Integer> concurrency, int smallFiles,
			int multiframeFrames, Path work, Path out, String label, Duration timeout, int warmup) {

		static Options parse(String[] args) {
			Map<String, String> m = new HashMap<>();
			for (String a : args) {
				int eq = a.indexOf('=');
				m.put(a.substring(0, eq), a.substring(eq + 1));
			}
			return new Options(m.get("url"), m.getOrDefault("token", ""), m.getOrDefault("tokenUrl", ""),
					m.getOrDefault("clientId", ""), m.getOrDefault("clientSecret", ""),
					m.getOrDefault("privateKey", ""), m.getOrDefault("subject", "bench"), m.get("jdbc"),
					m.getOrDefault("jdbcUser", "postgres"), longs(m.getOrDefault("procs", "")),
					strings(m.getOrDefault("procMatch", "")), Long.parseLong(m.getOrDefault("heapPid", "0")),
					m.getOrDefault("orthancUrl", ""), Long.parseLong(m.getOrDefault("orthancPid", "0")),
					Integer.parseInt(m.getOrDefault("n", "200")),
					longs(m.getOrDefault("concurrency", "1,4,16")).stream().map(Long::intValue).toList(),
					Integer.parseInt(m.getOrDefault("small", "1000")),
					Integer.parseInt(m.getOrDefault("multiframe", "200")), Path.of(m.getOrDefault("work", "/tmp")),
					Path.of(m.getOrDefault("out", "/dev/stdout")), m.getOrDefault("label", "dicomflow"),
					Duration.ofSeconds(Long.parseLong(m.getOrDefault("timeout", "900"))),
					Integer.parseInt(m.getOrDefault("warmup", "0")));
		}

		private static List<Long> longs(String csv) {
			return strings(csv).stream().map(Long::parseLong).toList();
		}

		private static List<String> strings(String csv) {
			return Arrays.stream(csv.split(",")).map(String::strip).filter((s) -> !s.isEmpty()).toList();
		}

	}

	static final class Run {

		private final Options o;

		private final HttpClient http;

		private final StringBuilder report = new StringBuilder();

		/** Per concurrency level: CPU ms per instance by thread group / process (see Procs.breakdown). */
		private final Map<Integer, Map<String, Double>> breakdowns = new java.util.LinkedHashMap<>();

		private final String runId = Long.toString(System.currentTimeMillis() / 1000);

		private String bearer;

		Run(Options options) {
			this.o = options;
			// HTTP/1.1 with the client's connection pool: one keep-alive connection per concurrent sender
			this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(10)).build();
		}

		void execute() throws Exception {
			this.bearer = token();
			print("### %s — %s%n%n", this.o.label(), Instant.now().toString().substring(0, 19) + "Z");
			print("| C | N | accepted/s | end-to-end/s | e2e p50 | e2e p99 | RECEIVED→STORED p50/p99 | STORED→QUEUED p50/p99 "
					+ "| QUEUED→DONE p50/p99 | DONE→NOTIFIED p50/p99 | CPU ms/instance | of which HTTP threads / outbox-relay threads | peak RSS (sum) | Orthanc stored/s "
					+ "| Orthanc CPU ms/instance | Orthanc stored/s ÷ dicomflow e2e/s | CPU dicomflow ÷ Orthanc |%n");
			print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
			try (Connection db = DriverManager.getConnection(this.o.jdbc(), this.o.jdbcUser(), "")) {
				int round = 0;
				if (this.o.warmup() > 0) {
					// not measured: lets the JIT compile the pipeline's hot code before the levels (both products get
					// the same files; Orthanc, native code, needs no warm-up but gets its caches filled the same way)
					List<Path> files = generate(99, this.o.warmup(), 512, 512);
					dicomflowRound(db, files, 4);
					if (!this.o.orthancUrl().isEmpty()) {
						try {
							orthancRound(files, 4);
						}
						catch (Exception ex) {
							System.err.println("Orthanc warm-up failed: " + ex);
						}
					}
					this.breakdowns.clear();
					deleteAll(files);
					print("(after an unmeasured warm-up of %d instances at C=4)%n%n", this.o.warmup());
				}
				for (int c : this.o.concurrency()) {
					round++;
					List<Path> files = generate(round, this.o.n(), 512, 512);
					Round dicomflow = dicomflowRound(db, files, c);
					Round orthanc = null;
					if (!this.o.orthancUrl().isEmpty()) {
						try {
							orthanc = orthancRound(files, c);
						}
						catch (Exception ex) {
							// e.g. Orthanc stopped by something else on a shared machine: keep dicomflow's figures
							System.err.println("Orthanc round at C=" + c + " failed: " + ex);
						}
					}
					print("| %d | %d | %.1f | %.1f | %s | %s | %s | %s | %s | %s | %.1f | %.1f / %.1f | %s | %s | %s | %s | %s |%n", c,
							files.size(), dicomflow.acceptedPerSecond, dicomflow.endToEndPerSecond,
							seconds(dicomflow.e2e, 50), seconds(dicomflow.e2e, 99), stage(dicomflow, 0), stage(dicomflow, 1),
							stage(dicomflow, 2), stage(dicomflow, 3), dicomflow.cpuMsPerInstance,
							dicomflow.httpCpuMsPerInstance, dicomflow.relayCpuMsPerInstance,
							mib(dicomflow.peakRssKb), orthanc == null ? "–" : String.format("%.1f", orthanc.acceptedPerSecond),
							orthanc == null ? "–" : String.format("%.2f", orthanc.cpuMsPerInstance),
							orthanc == null ? "–" : String.format("%.1f×", orthanc.acceptedPerSecond / dicomflow.endToEndPerSecond),
							orthanc == null ? "–" : String.format("%.1f×", dicomflow.cpuMsPerInstance / orthanc.cpuMsPerInstance));
					if (dicomflow.notes.length() > 0) {
						print("%n%s%n", dicomflow.notes);
					}
					deleteAll(files);
				}
				print("%n");
				printBreakdown();
				if (this.o.multiframeFrames() > 0) {
					multiframe(db);
				}
				if (this.o.smallFiles() > 0) {
					smallFiles(db);
				}
			}
			Files.writeString(this.o.out(), this.report.toString());
		}

		private void print(String format, Object... args) {
			String line = String.format(Locale.ROOT, format, args);
			System.out.print(line);
			System.out.flush();
			this.report.append(line);
		}

		/** The CPU of each level by thread group and process, largest first (by the last level). */
		private void printBreakdown() {
			if (this.breakdowns.isEmpty()) {
				return;
			}
			List<Integer> levels = new ArrayList<>(this.breakdowns.keySet());
			Map<String, Double> last = this.breakdowns.get(levels.get(levels.size() - 1));
			Set<String> groups = new java.util.TreeSet<>();
			this.breakdowns.values().forEach((b) -> groups.addAll(b.keySet()));
			List<String> order = new ArrayList<>(groups);
			order.sort((a, b) -> Double.compare(last.getOrDefault(b, 0.0), last.getOrDefault(a, 0.0)));
			print("CPU ms per instance by thread group / process (from /proc; Java thread names from jcmd Thread.print):%n%n| group |");
			levels.forEach((c) -> print(" C=%d |", c));
			print("%n|---|");
			levels.forEach((c) -> print("---|"));
			print("%n");
			for (String g : order) {
				boolean small = this.breakdowns.values().stream().allMatch((b) -> Math.abs(b.getOrDefault(g, 0.0)) < 0.05);
				if (small) {
					continue;
				}
				print("| %s |", g.replace("|", "/"));
				levels.forEach((c) -> print(" %.2f |", this.breakdowns.get(c).getOrDefault(g, 0.0)));
				print("%n");
			}
			print("| **sum** |");
			levels.forEach((c) -> print(" **%.1f** |", this.breakdowns.get(c).values().stream().mapToDouble(Double::doubleValue).sum()));
			print("%n%n");
		}

		private String token() throws Exception {
			if (!this.o.token().isEmpty()) {
				return this.o.token();
			}
			if (!this.o.privateKey().isEmpty()) {
				return mint(Path.of(this.o.privateKey()), this.o.subject());
			}
			String basic = Base64.getEncoder()
				.encodeToString((this.o.clientId() + ":" + this.o.clientSecret()).getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.o.tokenUrl()))
				.header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher m = ACCESS_TOKEN.matcher(r.body());
			if (r.statusCode() != 200 || !m.find()) {
				throw new IllegalStateException("no token from " + this.o.tokenUrl() + ": " + r.statusCode() + " " + r.body());
			}
			return m.group(1);
		}

		private List<Path> generate(int round, int count, int rows, int columns) throws IOException {
			Path dir = Files.createDirectories(this.o.work().resolve("round-" + round + "-" + rows));
			List<Path> files = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				String uidRoot = "1.2.826.0.1.3680043.9.4245.77." + this.runId + "." + round + "." + (i + 1);
				files.add(SyntheticDicom.write(dir.resolve("f" + i + ".dcm"), rows, columns, 1, round * 100_000L + i, uidRoot));
			}
			return files;
		}

		private Round dicomflowRound(Connection db, List<Path> files, int concurrency) throws Exception {
			Procs.Snapshot before = Procs.snapshot(this.o.procs(), this.o.procMatch());
			Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
			Set<UUID> uploads = ConcurrentHashMap.newKeySet();
			AtomicInteger rejected = new AtomicInteger();
			List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
			long start = System.currentTimeMillis();
			long lastResponse = drive(files, concurrency, (file) -> {
				String boundary = "bench" + UUID.randomUUID();
				long sent = System.currentTimeMillis();
				HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.o.url() + "/api/uploads"))
					.header("Authorization", "Bearer " + this.bearer)
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.POST(multipart(boundary, List.of(file))).build(), HttpResponse.BodyHandlers.ofString());
				Matcher f = FILE_ID.matcher(r.body());
				Matcher u = UPLOAD_ID.matcher(r.body());
				if (r.statusCode() == 202 && f.find() && u.find()) {
					sentAt.put(UUID.fromString(f.group(1)), sent);
					uploads.add(UUID.fromString(u.group(1)));
				}
				else {
					rejected.incrementAndGet();
					if (firstErrors.size() < 3) {
						firstErrors.add(r.statusCode() + " " + r.body());
					}
				}
			});
			Round result = new Round();
			result.acceptedPerSecond = sentAt.size() * 1000.0 / Math.max(1, lastResponse - start);
			long done = awaitNotified(db, sentAt.keySet(), start);
			Procs.Snapshot after = Procs.snapshot(this.o.procs(), this.o.procMatch());
			Map<UUID, Map<String, Long>> transitions = transitions(db, sentAt.keySet());
			long lastNotified = transitions.values().stream().mapToLong((t) -> t.getOrDefault("NOTIFIED", 0L)).max().orElse(done);
			int notified = (int) transitions.values().stream().filter((t) -> t.containsKey("NOTIFIED")).count();
			result.endToEndPerSecond = notified * 1000.0 / Math.max(1, lastNotified - start);
			result.cpuMsPerInstance = after.cpuMsSince(before) / files.size();
			result.httpCpuMsPerInstance = after.threadCpuMsSince(before, "http-nio") / files.size();
			result.relayCpuMsPerInstance = after.threadCpuMsSince(before, "outbox-relay") / files.size();
			Map<String, Double> perInstance = new HashMap<>();
			Procs.breakdown(before, after, this.o.procs()).forEach((k, v) -> perInstance.put(k, v / files.size()));
			this.breakdowns.put(concurrency, perInstance);
			result.peakRssKb = after.peakRssKb();
			for (int s = 0; s < 4; s++) {
				result.stages.add(new ArrayList<>());
			}
			String[][] pairs = {{"RECEIVED", "STORED"}, {"STORED", "QUEUED"}, {"QUEUED", "DONE"}, {"DONE", "NOTIFIED"}};
			for (Map.Entry<UUID, Map<String, Long>> e : transitions.entrySet()) {
				Map<String, Long> t = e.getValue();
				for (int s = 0; s < 4; s++) {
					if (t.containsKey(pairs[s][0]) && t.containsKey(pairs[s][1])) {
						result.stages.get(s).add(t.get(pairs[s][1]) - t.get(pairs[s][0]));
					}
				}
				if (t.containsKey("NOTIFIED")) {
					result.e2e.add(t.get("NOTIFIED") - sentAt.get(e.getKey()));
				}
			}
			if (rejected.get() > 0 || notified < sentAt.size()) {
				result.notes.append(String.format(Locale.ROOT, "C=%d: %d not accepted, %d of %d accepted not NOTIFIED "
						+ "within the timeout; first errors: %s%n", concurrency, rejected.get(), sentAt.size() - notified,
						sentAt.size(), firstErrors));
			}
			return result;
		}

		private Round orthancRound(List<Path> files, int concurrency) throws Exception {
			Procs.Snapshot before = Procs.snapshot(List.of(this.o.orthancPid()), List.of());
			AtomicInteger stored = new AtomicInteger();
			long start = System.currentTimeMillis();
			long last = drive(files, concurrency, (file) -> {
				HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.o.orthancUrl() + "/instances"))
					.header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 200 && r.body().contains("\"Success\"")) {
					stored.incrementAndGet();
				}
			});
			Procs.Snapshot after = Procs.snapshot(List.of(this.o.orthancPid()), List.of());
			Round result = new Round();
			result.acceptedPerSecond = stored.get() * 1000.0 / Math.max(1, last - start);
			result.cpuMsPerInstance = after.cpuMsSince(before) / files.size();
			result.peakRssKb = after.peakRssKb();
			if (stored.get() < files.size()) {
				System.err.println("Orthanc stored only " + stored.get() + " of " + files.size());
			}
			return result;
		}

		private void multiframe(Connection db) throws Exception {
			Path dir = Files.createDirectories(this.o.work().resolve("multiframe"));
			Path file = SyntheticDicom.write(dir.resolve("mf.dcm"), 512, 512, this.o.multiframeFrames(), 7,
					"1.2.826.0.1.3680043.9.4245.77." + this.runId + ".900.1");
			long bytes = Files.size(file);
			HeapSampler heap = this.o.heapPid() > 0 ? HeapSampler.start(this.o.heapPid()) : null;
			String boundary = "bench" + UUID.randomUUID();
			long start = System.currentTimeMillis();
			HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.o.url() + "/api/uploads"))
				.header("Authorization", "Bearer " + this.bearer)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(multipart(boundary, List.of(file))).build(), HttpResponse.BodyHandlers.ofString());
			long took = System.currentTimeMillis() - start;
			String heapGrowth = heap == null ? "not sampled" : heap.stop();
			Matcher f = FILE_ID.matcher(r.body());
			String e2e = "not accepted: " + r.statusCode();
			if (r.statusCode() == 202 && f.find()) {
				UUID id = UUID.fromString(f.group(1));
				long done = awaitNotified(db, Set.of(id), start);
				e2e = String.format(Locale.ROOT, "%.1f s to NOTIFIED", (done - start) / 1000.0);
			}
			String orthanc = "";
			if (!this.o.orthancUrl().isEmpty()) {
				long os = System.currentTimeMillis();
				HttpResponse<String> or = this.http.send(HttpRequest.newBuilder(URI.create(this.o.orthancUrl() + "/instances"))
					.header("Content-Type", "application/dicom").POST(HttpRequest.BodyPublishers.ofFile(file)).build(),
						HttpResponse.BodyHandlers.ofString());
				orthanc = String.format(Locale.ROOT, "; Orthanc: %d in %.2f s", or.statusCode(),
						(System.currentTimeMillis() - os) / 1000.0);
			}
			print("- %d-frame 512×512 16-bit upload (%.1f MiB): %d in %.2f s (%.0f MiB/s), %s; heap used during the request: %s%s%n",
					this.o.multiframeFrames(), bytes / 1048576.0, r.statusCode(), took / 1000.0,
					bytes / 1048576.0 / Math.max(took, 1) * 1000, e2e, heapGrowth, orthanc);
			Files.deleteIfExists(file);
		}

		private void smallFiles(Connection db) throws Exception {
			List<Path> files = generate(999, this.o.smallFiles(), 64, 64);
			String boundary = "bench" + UUID.randomUUID();
			long start = System.currentTimeMillis();
			HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(this.o.url() + "/api/uploads"))
				.header("Authorization", "Bearer " + this.bearer)
				.header("Content-Type", "multipart/form-data; boundary=" + boundary)
				.POST(multipart(boundary, files)).build(), HttpResponse.BodyHandlers.ofString());
			long took = System.currentTimeMillis() - start;
			Set<UUID> ids = new LinkedHashSet<>();
			Matcher f = FILE_ID.matcher(r.body());
			while (f.find()) {
				ids.add(UUID.fromString(f.group(1)));
			}
			String e2e = "";
			if (!ids.isEmpty()) {
				long done = awaitNotified(db, ids, start);
				e2e = String.format(Locale.ROOT, ", all NOTIFIED after %.1f s", (done - start) / 1000.0);
			}
			print("- %d small files (64×64, %d KiB each) in one request: %d in %.2f s, %d accepted (%.0f files/s)%s%s%n",
					files.size(), Files.size(files.get(0)) / 1024, r.statusCode(), took / 1000.0, ids.size(),
					ids.size() * 1000.0 / Math.max(took, 1), e2e,
					r.statusCode() == 202 ? "" : "; answer: " + r.body().substring(0, Math.min(300, r.body().length())));
			deleteAll(files);
		}

		/** Waits until every file is NOTIFIED (or the timeout); returns the time it saw that. */
		private long awaitNotified(Connection db, Set<UUID> ids, long since) throws Exception {
			if (ids.isEmpty()) {
				return System.currentTimeMillis();
			}
			long deadline = since + this.o.timeout().toMillis();
			try (PreparedStatement q = db.prepareStatement(
					"select count(*) from upload_file where id = any(?) and state = 'NOTIFIED'")) {
				Array array = db.createArrayOf("uuid", ids.toArray());
				q.setArray(1, array);
				while (System.currentTimeMillis() < deadline) {
					try (ResultSet rs = q.executeQuery()) {
						rs.next();
						if (rs.getInt(1) >= ids.size()) {
							return System.currentTimeMillis();
						}
					}
					Thread.sleep(250);
				}
			}
			return System.currentTimeMillis();
		}

		private Map<UUID, Map<String, Long>> transitions(Connection db, Set<UUID> ids) throws Exception {
			Map<UUID, Map<String, Long>> result = new HashMap<>();
			try (PreparedStatement q = db.prepareStatement(
					"select file_id, state, at from upload_file_transition where file_id = any(?)")) {
				q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
				try (ResultSet rs = q.executeQuery()) {
					while (rs.next()) {
						Timestamp at = rs.getTimestamp(3);
						result.computeIfAbsent(rs.getObject(1, UUID.class), (k) -> new HashMap<>())
							.put(rs.getString(2), at.getTime());
					}
				}
			}
			return result;
		}

		interface Send {

			void send(Path file) throws Exception;

		}

		/** Sends every file with {@code concurrency} senders; returns the time the last answer arrived. */
		private long drive(List<Path> files, int concurrency, Send send) throws Exception {
			AtomicInteger next = new AtomicInteger();
			AtomicLong last = new AtomicLong();
			ExecutorService pool = Executors.newFixedThreadPool(concurrency);
			try {
				List<Future<?>> senders = new ArrayList<>();
				for (int t = 0; t < concurrency; t++) {
					senders.add(pool.submit(() -> {
						for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
							send.send(files.get(i));
							last.accumulateAndGet(System.currentTimeMillis(), Math::max);
						}
						return null;
					}));
				}
				for (Future<?> f : senders) {
					f.get();
				}
			}
			finally {
				pool.shutdown();
			}
			return last.get();
		}

		private static HttpRequest.BodyPublisher multipart(String boundary, List<Path> files) throws IOException {
			List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
			for (Path file : files) {
				parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
						+ "name=\"files\"; filename=\"" + file.getFileName() + "\"\r\nContent-Type: application/dicom\r\n\r\n"));
				parts.add(HttpRequest.BodyPublishers.ofFile(file));
				parts.add(HttpRequest.BodyPublishers.ofString("\r\n"));
			}
			parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
			return HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new));
		}

		private static void deleteAll(List<Path> files) throws IOException {
			for (Path f : files) {
				Files.deleteIfExists(f);
			}
		}

		private static String stage(Round r, int s) {
			return seconds(r.stages.get(s), 50) + " / " + seconds(r.stages.get(s), 99);
		}

		private static String seconds(List<Long> millis, int percentile) {
			if (millis.isEmpty()) {
				return "–";
			}
			List<Long> sorted = new ArrayList<>(millis);
			Collections.sort(sorted);
			int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
			return String.format(Locale.ROOT, "%.2f s", sorted.get(Math.max(0, index)) / 1000.0);
		}

		private static String mib(long kb) {
			return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
		}

	}

	static final class Round {

		double acceptedPerSecond;

		double endToEndPerSecond;

		double cpuMsPerInstance;

		double httpCpuMsPerInstance;

		double relayCpuMsPerInstance;

		long peakRssKb;

		final List<Long> e2e = new ArrayList<>();

		final List<List<Long>> stages = new ArrayList<>();

		final StringBuilder notes = new StringBuilder();

	}

	/** CPU time and peak RSS of process trees, from /proc. */
	static final class Procs {

		private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK)

		/**
		 * @param threadTicks CPU ticks of each thread of the root processes, keyed "pid/tid"
		 * @param threadGroups each of those threads' name with digits dropped (http-nio-#-exec-#, outbox-relay)
		 */
		record Snapshot(Map<Long, Long> ticks, long peakRssKb, Map<String, Long> threadTicks,
				Map<String, String> threadGroups, Map<Long, Long> ownTicks, Map<Long, String> commands) {

			double cpuMsSince(Snapshot before) {
				long total = 0;
				for (Map.Entry<Long, Long> e : this.ticks.entrySet()) {
					total += e.getValue() - before.ticks.getOrDefault(e.getKey(), 0L);
				}
				return total * 1000.0 / TICKS_PER_SECOND;
			}

			/** CPU ms since {@code before} of the root processes' threads whose name contains {@code group}. */
			double threadCpuMsSince(Snapshot before, String group) {
				long total = 0;
				for (Map.Entry<String, Long> e : this.threadTicks.entrySet()) {
					if (this.threadGroups.get(e.getKey()).contains(group)) {
						total += e.getValue() - before.threadTicks.getOrDefault(e.getKey(), 0L);
					}
				}
				return total * 1000.0 / TICKS_PER_SECOND;
			}

		}

		static Snapshot snapshot(List<Long> roots, List<String> matches) throws IOException {
			Map<Long, Long> parent = new HashMap<>();
			Map<Long, String> stat = new HashMap<>();
			List<Long> selected = new ArrayList<>(roots);
			try (var dirs = Files.list(Path.of("/proc"))) {
				for (Path p : (Iterable<Path>) dirs::iterator) {
					String name = p.getFileName().toString();
					if (!name.chars().allMatch(Character::isDigit)) {
						continue;
					}
					long pid = Long.parseLong(name);
					try {
						String s = Files.readString(p.resolve("stat"));
						stat.put(pid, s);
						String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
						parent.put(pid, Long.parseLong(f[1]));
						if (!matches.isEmpty()) {
							String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
							if (matches.stream().anyMatch(cmd::contains)) {
								selected.add(pid);
							}
						}
					}
					catch (IOException ex) {
						// the process ended meanwhile
					}
				}
			}
			Set<Long> tree = new LinkedHashSet<>(selected);
			boolean grew = true;
			while (grew) {
				grew = false;
				for (Map.Entry<Long, Long> e : parent.entrySet()) {
					if (tree.contains(e.getValue()) && tree.add(e.getKey())) {
						grew = true;
					}
				}
			}
			Map<Long, Long> ticks = new HashMap<>();
			Map<Long, Long> ownTicks = new HashMap<>();
			Map<Long, String> commands = new HashMap<>();
			long rss = 0;
			for (long pid : tree) {
				String s = stat.get(pid);
				if (s == null) {
					continue;
				}
				String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
				// utime, stime, cutime, cstime (fields 14-17): the children's part covers reaped helpers
				ticks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]));
				ownTicks.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
				try {
					commands.put(pid, Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip());
				}
				catch (IOException ex) {
					commands.put(pid, "?");
				}
				try {
					for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
						if (line.startsWith("VmHWM:")) {
							rss += Long.parseLong(line.replaceAll("[^0-9]", ""));
						}
					}
				}
				catch (IOException ex) {
					// ended meanwhile
				}
			}
			Map<String, Long> threadTicks = new HashMap<>();
			Map<String, String> threadGroups = new HashMap<>();
			for (long pid : roots) {
				Map<Long, String> javaNames = javaThreadNames(pid);
				try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
					for (Path t : (Iterable<Path>) tasks::iterator) {
						try {
							String s = Files.readString(t.resolve("stat"));
							// the kernel keeps 15 characters of a thread's name; the JVM knows the whole name
							String name = javaNames.getOrDefault(Long.parseLong(t.getFileName().toString()),
									s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')));
							String comm = name.replaceAll("[0-9]+", "#");
							String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
							String key = pid + "/" + t.getFileName();
							threadTicks.put(key, Long.parseLong(f[11]) + Long.parseLong(f[12]));
							threadGroups.put(key, comm);
						}
						catch (IOException | RuntimeException ex) {
							// the thread ended meanwhile
						}
					}
				}
				catch (IOException ex) {
					// the process ended
				}
			}
			return new Snapshot(ticks, rss, threadTicks, threadGroups, ownTicks, commands);
		}

		private static final Pattern THREAD_LINE = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-f]+|[0-9]+)");

		/** Native thread id → Java thread name, from {@code jcmd <pid> Thread.print}; empty if not a JVM. */
		static Map<Long, String> javaThreadNames(long pid) {
			Map<Long, String> names = new HashMap<>();
			try {
				// jcmd attaches by sending SIGQUIT, which stops a process that is not a JVM (Orthanc shuts down on it)
				String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString();
				if (!exe.equals("java")) {
					return names;
				}
				Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print").redirectErrorStream(true).start();
				try (BufferedReader in = new BufferedReader(new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = in.readLine()) != null) {
						Matcher m = THREAD_LINE.matcher(line);
						if (m.find()) {
							String nid = m.group(2);
							names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
						}
					}
				}
				jcmd.waitFor();
			}
			catch (IOException ex) {
				// no jcmd: the kernel's 15-character names
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return names;
		}

		/**
		 * Where the CPU went between two snapshots, in ms, by group: the root JVMs' threads by (full) name,
		 * their threads that ended meanwhile, and the other processes of the trees by command (PostgreSQL
		 * backends and its background processes, S3Proxy, ...).
		 */
		static Map<String, Double> breakdown(Snapshot before, Snapshot after, List<Long> roots) {
			Map<String, Double> ms = new HashMap<>();
			Map<Long, Long> liveThreads = new HashMap<>();
			for (Map.Entry<String, Long> e : after.threadTicks().entrySet()) {
				long d = e.getValue() - before.threadTicks().getOrDefault(e.getKey(), 0L);
				long pid = Long.parseLong(e.getKey().substring(0, e.getKey().indexOf('/')));
				liveThreads.merge(pid, d, Long::sum);
				ms.merge(threadCategory(after.threadGroups().get(e.getKey())), d * 1000.0 / TICKS_PER_SECOND, Double::sum);
			}
			for (Map.Entry<Long, Long> e : after.ticks().entrySet()) {
				long pid = e.getKey();
				if (roots.contains(pid)) {
					// the process's own time includes its threads that ended; its children (cutime) are counted apart
					long own = after.ownTicks().get(pid) - before.ownTicks().getOrDefault(pid, 0L);
					ms.merge("JVM threads that ended during the level", (own - liveThreads.getOrDefault(pid, 0L)) * 1000.0 / TICKS_PER_SECOND, Double::sum);
					long children = (e.getValue() - after.ownTicks().get(pid))
							- (before.ticks().getOrDefault(pid, 0L) - before.ownTicks().getOrDefault(pid, 0L));
					if (children != 0) {
						ms.merge("reaped child processes of the JVM", children * 1000.0 / TICKS_PER_SECOND, Double::sum);
					}
					continue;
				}
				long d = e.getValue() - before.ticks().getOrDefault(pid, 0L);
				ms.merge(processCategory(after.commands().getOrDefault(pid, "?")), d * 1000.0 / TICKS_PER_SECOND, Double::sum);
			}
			return ms;
		}

		static String threadCategory(String name) {
			String n = name.toLowerCase(Locale.ROOT);
			if (n.startsWith("http-nio")) {
				return "request threads (Tomcat http-nio-*)";
			}
			if (n.startsWith("outbox-relay")) {
				return "outbox relay";
			}
			// names arrive with their digits replaced by '#' (C2 CompilerThread0 -> C# CompilerThread#)
			if (n.matches("c# compilerthread#*")) {
				return "JIT compiler threads";
			}
			if (n.startsWith("gc thread") || n.startsWith("g# ") || n.startsWith("vm thread")) {
				return "GC and VM thread (safepoints)";
			}
			if (n.startsWith("jfr ")) {
				return "JFR recording (the profiler itself)";
			}
			return "thread: " + name;
		}

		static String processCategory(String command) {
			if (command.startsWith("postgres: ") || command.contains("/postgres ") || command.endsWith("/postgres")
					|| command.contains("bin/postgres")) {
				boolean backend = command.matches("postgres: \\S+ \\S+ \\S*\\(?[0-9.:]+.*");
				return backend ? "PostgreSQL backends (statements)" : "PostgreSQL background processes (WAL writer, checkpointer, postmaster...)";
			}
			return "process: " + command.substring(0, Math.min(60, command.length()));
		}

	}

	/** Samples a JVM's used heap with jstat every 100 ms; reports the peak over the value at the start. */
	static final class HeapSampler {

		private final Process process;

		private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());

		private final Thread reader;

		private HeapSampler(Process process) {
			this.process = process;
			this.reader = new Thread(this::read, "jstat-reader");
			this.reader.setDaemon(true);
			this.reader.start();
		}

		static HeapSampler start(long pid) throws IOException, InterruptedException {
			HeapSampler sampler = new HeapSampler(
					new ProcessBuilder("jstat", "-gc", Long.toString(pid), "100").redirectErrorStream(true).start());
			long deadline = System.currentTimeMillis() + 5000;
			while (sampler.samples.isEmpty() && System.currentTimeMillis() < deadline) {
				Thread.sleep(20);
			}
			return sampler;
		}

		private void read() {
			try (BufferedReader in = new BufferedReader(new InputStreamReader(this.process.getInputStream()))) {
				List<String> header = null;
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					List<String> cols = Arrays.asList(line.trim().split("\\s+"));
					if (cols.contains("EU")) {
						header = cols;
						continue;
					}
					if (header == null || cols.size() != header.size()) {
						continue;
					}
					double used = 0;
					for (String c : List.of("S0U", "S1U", "EU", "OU")) {
						used += Double.parseDouble(cols.get(header.indexOf(c)));
					}
					this.samples.add((long) used);
				}
			}
			catch (IOException | RuntimeException ex) {
				// sampler ends with the process
			}
		}

		String stop() throws InterruptedException {
			this.process.destroy();
			this.reader.join(2000);
			if (this.samples.isEmpty()) {
				return "no samples";
			}
			long first = this.samples.get(0);
			long peak = Collections.max(this.samples);
			return String.format(Locale.ROOT, "%.0f MiB at start, peak %.0f MiB (+%.0f MiB; young-generation garbage "
					+ "included)", first / 1024.0, peak / 1024.0, (peak - first) / 1024.0);
		}

	}

	private static void keys(Path dir) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair pair = generator.generateKeyPair();
		Files.createDirectories(dir);
		Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
		Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
				+ mime.encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
		Files.writeString(dir.resolve("private.key"), Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
	}

	/** An RS256 token for the services started with the matching public key: audience dicomflow, role uploader. */
	private static String mint(Path privateKeyFile, String subject) throws Exception {
		return mint(privateKeyFile, subject, "uploader");
	}

	/** The same with the given role ({@code uploader}, {@code user}, {@code admin}). */
	static String mint(Path privateKeyFile, String subject, String role) throws Exception {
		PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
				new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Files.readString(privateKeyFile).strip())));
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		long now = Instant.now().getEpochSecond();
		String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = b64.encodeToString(("{\"sub\":\"" + subject + "\",\"aud\":[\"dicomflow\"],\"roles\":[\"" + role + "\"],"
				+ "\"iss\":\"bench\",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 6 * 3600) + "}")
			.getBytes(StandardCharsets.UTF_8));
		Signature rsa = Signature.getInstance("SHA256withRSA");
		rsa.initSign(key);
		rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
		return header + "." + claims + "." + b64.encodeToString(rsa.sign());
	}

	/**
	 * Accepts SMTP on 127.0.0.1:port (the notification service's mail sink) and discards every message, or,
	 * with a directory, writes each accepted message to a file of its own there (bench/faults counts them).
	 */
	private static void smtpSink(int port, Path keep) throws IOException {
		AtomicLong messages = new AtomicLong();
		try (ServerSocket server = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
			while (true) {
				Socket socket = server.accept();
				Thread handler = new Thread(() -> {
					try (socket; BufferedReader in = new BufferedReader(
							new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
							OutputStream out = socket.getOutputStream()) {
						reply(out, "220 bench-sink ESMTP");
						for (String line = in.readLine(); line != null; line = in.readLine()) {
							String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
							switch (verb) {
								case "EHLO", "HELO" -> reply(out, "250 bench-sink");
								case "DATA" -> {
									reply(out, "354 go ahead");
									StringBuilder body = new StringBuilder();
									for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
										if (keep != null) {
											body.append(d).append('\n');
										}
									}
									long number = messages.incrementAndGet();
									if (keep != null) {
										// written before the reply: a message the sender saw accepted is on disk
										Path tmp = keep.resolve("mail-" + number + ".tmp");
										Files.writeString(tmp, body, StandardCharsets.ISO_8859_1);
										Files.move(tmp, keep.resolve("mail-" + number + ".eml"));
									}
									reply(out, "250 accepted");
								}
								case "QUIT" -> {
									reply(out, "221 bye");
									return;
								}
								default -> reply(out, "250 ok");
							}
						}
					}
					catch (IOException ex) {
						// client went away
					}
				}, "smtp-sink");
				handler.setDaemon(true);
				handler.start();
			}
		}
	}

	private static void reply(OutputStream out, String line) throws IOException {
		out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

}
