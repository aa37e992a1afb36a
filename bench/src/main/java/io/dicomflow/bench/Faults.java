package io.dicomflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The client side of bench/faults/run.sh: sends N files (a few of them poison: valid DICOM that no analysis
 * can decode) from several clients, one file per {@code POST /api/uploads}, alternating between the upload
 * service instances, while the script kills and restarts processes around it; keeps one STOMP subscriber per
 * user (reconnecting with {@code lastSeq} to the other notifier when its connection drops); then waits for the
 * pipeline to settle and checks, from the database, the S3 directory, the SMTP sink's messages, the workers'
 * parking list and the subscribers, that nothing was lost, duplicated or left half-written.
 *
 * <p>A client behaves like a modality: a refused connection, a reset, a 5xx or a 503 (after its Retry-After)
 * is retried with the same file against the next instance until an answer says ACCEPTED or DUPLICATE. So a
 * request the server answered with an error, or never answered, is either absent or complete: its retry is
 * either a new instance or the DUPLICATE of the one the interrupted request stored.
 *
 * <p>Writes the number of files answered to {@code progress} (the fault schedule follows it) and, last, the
 * summary line {@code faults: sent N, accepted A, ...}; exits 1 when a check fails.
 */
public final class Faults {

	/** A temporary file of S3Proxy's filesystem store: the object's path, a dash and a random UUID. */
	private static final Pattern S3PROXY_PARTIAL_WRITE = Pattern
		.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern OUTCOME = Pattern.compile(
			"\"outcome\"\\s*:\\s*\"([A-Z_]+)\"(?:[^{}]*?\"fileId\"\\s*:\\s*\"([0-9a-f-]{36})\")?");

	private static final Pattern FILE_ID = Pattern.compile("\"fileId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

	private static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

	private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"(\\w+)\"");

	private final Map<String, String> o;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5)).build();

	private final List<String> uploadUrls;

	private final List<String> notifierUrls;

	private final List<String> workerUrls;

	private final Path privateKey;

	private final int users;

	/** Files answered STORE_FAILED (retryable), sent again. */
	private final AtomicInteger storeFailed = new AtomicInteger();

	/** 503 answers that did not say when to come back (the overload contract requires Retry-After). */
	private final AtomicInteger busyWithoutRetryAfter = new AtomicInteger();

	private Faults(Map<String, String> options) {
		this.o = options;
		this.uploadUrls = List.of(options.get("uploads").split(","));
		this.notifierUrls = List.of(options.get("notifiers").split(","));
		this.workerUrls = List.of(options.get("workers").split(","));
		this.privateKey = Path.of(options.get("privateKey"));
		this.users = Integer.parseInt(options.getOrDefault("users", "4"));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> m = new HashMap<>();
		for (String a : args) {
			int eq = a.indexOf('=');
			m.put(a.substring(0, eq), a.substring(eq + 1));
		}
		System.exit(new Faults(m).run() ? 0 : 1);
	}

	/** One file to send and what became of it. */
	static final class Sent {

		final int index;

		final Path file;

		final String user;

		final String sopInstanceUid;

		final boolean poison;

		volatile long firstSentAt;

		volatile String outcome;

		volatile UUID fileId;

		volatile int errors;

		Sent(int index, Path file, String user, String sopInstanceUid, boolean poison) {
			this.index = index;
			this.file = file;
			this.user = user;
			this.sopInstanceUid = sopInstanceUid;
			this.poison = poison;
		}

	}

	private boolean run() throws Exception {
		int n = Integer.parseInt(this.o.getOrDefault("n", "500"));
		int poisonCount = Integer.parseInt(this.o.getOrDefault("poison", "5"));
		int clients = Integer.parseInt(this.o.getOrDefault("clients", "8"));
		int size = Integer.parseInt(this.o.getOrDefault("size", "128"));
		Duration settle = Duration.ofSeconds(Long.parseLong(this.o.getOrDefault("timeout", "600")));
		Path work = Files.createDirectories(Path.of(this.o.get("work")));
		Path progress = Path.of(this.o.get("progress"));
		String run = Long.toString(System.currentTimeMillis() / 1000);

		Map<String, String> tokens = new HashMap<>();
		List<String> userNames = new ArrayList<>();
		for (int u = 0; u < this.users; u++) {
			String name = "faults" + u;
			userNames.add(name);
			tokens.put(name, EndToEnd.mint(this.privateKey, name, "user"));
		}
		String admin = EndToEnd.mint(this.privateKey, "faults-admin", "admin");

		// poison files spread evenly over the run, so some meet the faults
		List<Sent> files = new ArrayList<>(n);
		Set<Integer> poisonAt = new HashSet<>();
		for (int p = 0; p < poisonCount; p++) {
			poisonAt.add((int) ((p + 0.5) * n / poisonCount));
		}
		for (int i = 0; i < n; i++) {
			String uidRoot = "1.2.826.0.1.3680043.9.4245.88." + run + "." + (i + 1);
			boolean poison = poisonAt.contains(i);
			Path f = work.resolve("f" + i + ".dcm");
			if (poison) {
				SyntheticDicom.writeUndecodable(f, uidRoot);
			}
			else {
				SyntheticDicom.write(f, size, size, 1, i, uidRoot);
			}
			files.add(new Sent(i, f, userNames.get(i % clients % this.users), uidRoot + ".1", poison));
		}

		List<Subscriber> subscribers = new ArrayList<>();
		for (int u = 0; u < this.users; u++) {
			Subscriber s = new Subscriber(userNames.get(u), tokens.get(userNames.get(u)), this.notifierUrls, u);
			s.connect();
			subscribers.add(s);
		}

		// --- send ---
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger requests = new AtomicInteger();
		AtomicInteger errorAnswers = new AtomicInteger();
		AtomicInteger busy = new AtomicInteger();
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "progress");
			t.setDaemon(true);
			return t;
		});
		ticker.scheduleAtFixedRate(() -> {
			try {
				Files.writeString(progress, answered.get() + "\n");
			}
			catch (IOException ex) {
				// next tick
			}
		}, 0, 200, TimeUnit.MILLISECONDS);
		long start = System.currentTimeMillis();
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		List<Future<?>> senders = new ArrayList<>();
		for (int c = 0; c < clients; c++) {
			int client = c;
			senders.add(pool.submit(() -> {
				for (int i = client; i < files.size(); i += clients) {
					Sent s = files.get(i);
					send(s, tokens.get(s.user), requests, errorAnswers, busy);
					answered.incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> f : senders) {
			f.get();
		}
		pool.shutdown();
		long sendMillis = System.currentTimeMillis() - start;
		Files.writeString(progress, answered.get() + "\n");
		ticker.shutdownNow();
		Files.writeString(progress, "done\n");
		List<Sent> accepted = files.stream().filter((s) -> s.fileId != null).toList();
		System.out.printf(Locale.ROOT, "faults: %d files answered in %.1f s (%d requests, %d error answers or broken "
				+ "connections, %d busy answers (503), %d STORE_FAILED answers); %d accepted; waiting for the pipeline "
				+ "to settle%n", files.size(), sendMillis / 1000.0, requests.get(), errorAnswers.get(), busy.get(),
				this.storeFailed.get(), accepted.size());

		// --- settle: every accepted file NOTIFIED, every subscriber caught up, no open digest, no unsent outbox ---
		String jdbc = this.o.get("jdbc");
		long deadline = System.currentTimeMillis() + settle.toMillis();
		Set<UUID> acceptedIds = new HashSet<>();
		accepted.forEach((s) -> acceptedIds.add(s.fileId));
		String waitingFor = "";
		while (System.currentTimeMillis() < deadline) {
			waitingFor = waitingFor(jdbc, acceptedIds, subscribers, accepted);
			if (waitingFor.isEmpty()) {
				break;
			}
			Thread.sleep(1000);
		}
		if (!waitingFor.isEmpty()) {
			System.out.println("faults: not settled after " + settle.toSeconds() + " s: " + waitingFor);
		}
		// a moment for late duplicates (redelivered events, a second email) to show
		Thread.sleep(Long.parseLong(this.o.getOrDefault("quiet", "5")) * 1000);
		for (Subscriber s : subscribers) {
			s.close();
		}
		return check(files, accepted, subscribers, admin, start);
	}

	/** Sends one file until an instance answers ACCEPTED or DUPLICATE (or another final per-file outcome). */
	private void send(Sent s, String token, AtomicInteger requests, AtomicInteger errorAnswers, AtomicInteger busy)
			throws Exception {
		long giveUpAt = System.currentTimeMillis() + 600_000;
		int attempt = 0;
		while (System.currentTimeMillis() < giveUpAt) {
			String url = this.uploadUrls.get((s.index + attempt) % this.uploadUrls.size());
			attempt++;
			String boundary = "faults" + UUID.randomUUID();
			long sent = System.currentTimeMillis();
			if (s.firstSentAt == 0) {
				s.firstSentAt = sent;
			}
			requests.incrementAndGet();
			HttpResponse<String> r;
			try {
				r = this.http.send(HttpRequest.newBuilder(URI.create(url + "/api/uploads"))
					.timeout(Duration.ofSeconds(60))
					.header("Authorization", "Bearer " + token)
					.header("Content-Type", "multipart/form-data; boundary=" + boundary)
					.POST(multipart(boundary, s.file)).build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				s.errors++;
				errorAnswers.incrementAndGet();
				Thread.sleep(300);
				continue;
			}
			if (r.statusCode() == 503 || r.statusCode() == 429) {
				// a 503 listing files is the store failing (every file STORE_FAILED), not the back-pressure gate
				if (r.body().contains("STORE_FAILED")) {
					this.storeFailed.incrementAndGet();
				}
				else {
					busy.incrementAndGet();
				}
				if (r.headers().firstValue("Retry-After").isEmpty()) {
					this.busyWithoutRetryAfter.incrementAndGet();
				}
				long wait = r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
				Thread.sleep(Math.min(5, Math.max(1, wait)) * 1000);
				continue;
			}
			Matcher m = OUTCOME.matcher(r.body());
			if ((r.statusCode() == 202 || r.statusCode() == 400) && r.body().contains("STORE_FAILED")) {
				// the instance could not be stored (S3 away, another upload of it still storing): "try again"
				this.storeFailed.incrementAndGet();
				Thread.sleep(1000);
				continue;
			}
			if (r.statusCode() == 202 && m.find()) {
				s.outcome = m.group(1);
				if ("ACCEPTED".equals(s.outcome) || "DUPLICATE".equals(s.outcome)) {
					Matcher f = FILE_ID.matcher(r.body());
					if (f.find()) {
						s.fileId = UUID.fromString(f.group(1));
					}
				}
				else {
					System.out.println("faults: file " + s.index + " answered " + s.outcome + ": " + r.body());
				}
				return;
			}
			s.errors++;
			errorAnswers.incrementAndGet();
			if (errorAnswers.get() <= 5) {
				System.out.println("faults: error answer " + r.statusCode() + " from " + url + ": "
						+ r.body().substring(0, Math.min(300, r.body().length())));
			}
			Thread.sleep(300);
		}
		System.out.println("faults: file " + s.index + " never accepted");
	}

	private static HttpRequest.BodyPublisher multipart(String boundary, Path file) throws IOException {
		return HttpRequest.BodyPublishers.concat(
				HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
						+ "name=\"files\"; filename=\"" + file.getFileName()
						+ "\"\r\nContent-Type: application/dicom\r\n\r\n"),
				HttpRequest.BodyPublishers.ofFile(file),
				HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
	}

	/** What the pipeline has not finished yet; empty when settled. */
	private String waitingFor(String jdbc, Set<UUID> acceptedIds, List<Subscriber> subscribers, List<Sent> accepted) {
		try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
			int notified = 0;
			try (var q = db.prepareStatement("select count(*) from upload_file where id = any(?) and state = 'NOTIFIED'")) {
				q.setArray(1, db.createArrayOf("uuid", acceptedIds.toArray()));
				try (ResultSet rs = q.executeQuery()) {
					rs.next();
					notified = rs.getInt(1);
				}
			}
			long openDigests = scalar(db, "select count(*) from notification_digest where closed_at is null");
			long outbox = scalar(db, "select count(*) from outbox_event where published_at is null");
			Map<String, Long> perUser = new HashMap<>();
			accepted.forEach((s) -> perUser.merge(s.user, 1L, Long::sum));
			StringBuilder behind = new StringBuilder();
			for (Subscriber s : subscribers) {
				long seen = s.outcomeEvents();
				if (seen < perUser.getOrDefault(s.user, 0L)) {
					behind.append(' ').append(s.user).append(' ').append(seen).append('/').append(perUser.get(s.user));
				}
			}
			if (notified == acceptedIds.size() && openDigests == 0 && outbox == 0 && behind.isEmpty()) {
				return "";
			}
			return String.format(Locale.ROOT, "%d of %d NOTIFIED, %d open digests, %d unpublished outbox events, "
					+ "subscribers behind:%s", notified, acceptedIds.size(), openDigests, outbox, behind);
		}
		catch (SQLException ex) {
			return "database: " + ex.getMessage();
		}
	}

	private static long scalar(Connection db, String sql) throws SQLException {
		try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private boolean check(List<Sent> files, List<Sent> accepted, List<Subscriber> subscribers, String admin, long start)
			throws Exception {
		List<String> problems = new ArrayList<>();
		long lost = 0;
		long duplicated = 0;
		long orphans = 0;
		long analysed = 0;
		List<Long> e2e = new ArrayList<>();
		Set<String> uploadIdsWithFiles = new HashSet<>();
		Map<UUID, Sent> byFileId = new HashMap<>();
		accepted.forEach((s) -> byFileId.put(s.fileId, s));
		for (Sent s : files) {
			if (s.fileId == null) {
				lost++;
				problems.add("file " + s.index + " was never accepted (" + s.outcome + ")");
			}
		}
		try (Connection db = DriverManager.getConnection(this.o.get("jdbc"), "postgres", "")) {
			// rows per instance: exactly one upload_file per sent instance of an owner
			Map<String, Integer> rowsPerInstance = new HashMap<>();
			Map<UUID, String[]> fileRows = new HashMap<>();
			Set<String> objectKeys = new HashSet<>();
			try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
					"select f.id, f.owner, f.sop_instance_uid, f.state, f.result_id, f.failure_code, f.object_key, "
							+ "f.upload_id, (select at from upload_file_transition t where t.file_id = f.id and "
							+ "t.state = 'NOTIFIED') from upload_file f")) {
				while (rs.next()) {
					UUID id = rs.getObject(1, UUID.class);
					rowsPerInstance.merge(rs.getString(2) + "/" + rs.getString(3), 1, Integer::sum);
					fileRows.put(id, new String[] {rs.getString(4), rs.getString(5), rs.getString(6),
							rs.getString(8), rs.getTimestamp(9) == null ? null : Long.toString(rs.getTimestamp(9).getTime())});
					objectKeys.add(rs.getString(7));
				}
			}
			for (Map.Entry<String, Integer> e : rowsPerInstance.entrySet()) {
				if (e.getValue() > 1) {
					duplicated += e.getValue() - 1;
					problems.add("instance " + e.getKey() + " has " + e.getValue() + " file rows");
				}
			}
			Map<String, Integer> resultsPerFile = new HashMap<>();
			try (Statement st = db.createStatement();
					ResultSet rs = st.executeQuery("select file_id from medical_image_result")) {
				while (rs.next()) {
					resultsPerFile.merge(rs.getString(1), 1, Integer::sum);
				}
			}
			for (Sent s : accepted) {
				String[] row = fileRows.get(s.fileId);
				if (row == null) {
					lost++;
					problems.add("accepted file " + s.index + " (" + s.fileId + ") has no row");
					continue;
				}
				int results = resultsPerFile.getOrDefault(s.fileId.toString(), 0);
				boolean ok;
				if (s.poison) {
					ok = "UNSUPPORTED_IMAGE".equals(row[2]) && results == 0 && row[1] == null;
				}
				else {
					ok = row[1] != null && results == 1 && row[2] == null;
					if (results > 1) {
						duplicated += results - 1;
						problems.add("file " + s.fileId + " has " + results + " results");
					}
				}
				if (!ok || !"NOTIFIED".equals(row[0])) {
					lost++;
					problems.add("file " + s.index + " (" + s.fileId + ") ends " + row[0] + ", result " + row[1]
							+ ", failure " + row[2] + ", " + results + " result rows" + (s.poison ? " (poison)" : ""));
				}
				else {
					analysed++;
				}
				uploadIdsWithFiles.add(row[3]);
				if (row[4] != null) {
					e2e.add(Long.parseLong(row[4]) - s.firstSentAt);
				}
			}
			// half-written: anything not at the end of its road, claims never finished
			for (Map.Entry<UUID, String[]> e : fileRows.entrySet()) {
				if (!byFileId.containsKey(e.getKey())) {
					orphans++;
					problems.add("file row " + e.getKey() + " (" + e.getValue()[0] + ") was never acknowledged to a client");
				}
			}
			long claims = scalar(db, "select count(*) from instance_claim where state <> 'STORED'");
			if (claims > 0) {
				orphans += claims;
				problems.add(claims + " unfinished instance claims");
			}
			// S3: every object has its row, every row its object
			Path bucket = Path.of(this.o.get("s3dir"));
			Set<String> objects = new HashSet<>();
			try (Stream<Path> walk = Files.walk(bucket)) {
				walk.filter(Files::isRegularFile).forEach((p) -> objects.add(bucket.relativize(p).toString()));
			}
			int partialWrites = 0;
			for (String key : objects) {
				if (objectKeys.contains(key)) {
					continue;
				}
				if (S3PROXY_PARTIAL_WRITE.matcher(key).matches()) {
					// S3Proxy's filesystem store writes an object to "<key>-<random UUID>" and then renames it
					// atomically; the S3-away fault kill -9s S3Proxy, which can leave such a file of a PUT it never
					// answered. It is not an object (S3 never lists it), so it is not a dicomflow orphan; the
					// check the other way round still finds a row whose object is missing.
					partialWrites++;
					continue;
				}
				orphans++;
				problems.add("S3 object " + key + " has no file row");
			}
			if (partialWrites > 0) {
				System.out.println("faults: " + partialWrites + " partial write(s) of the killed S3Proxy left in its"
						+ " storage directory (not objects; ignored)");
			}
			for (String key : objectKeys) {
				if (!objects.contains(key)) {
					orphans++;
					problems.add("file row's object " + key + " is not in S3");
				}
			}
			long unpublished = scalar(db, "select count(*) from outbox_event where published_at is null");
			if (unpublished > 0) {
				problems.add(unpublished + " outbox events never published");
			}
		}

		// subscribers: one AnalysisCompleted / AnalysisFailed per accepted file, seq without gaps
		for (Subscriber sub : subscribers) {
			Map<String, Integer> perFile = new HashMap<>();
			for (String body : sub.events.values()) {
				Matcher t = TYPE.matcher(body);
				Matcher f = FILE_ID.matcher(body);
				if (t.find() && (t.group(1).equals("AnalysisCompleted") || t.group(1).equals("AnalysisFailed")) && f.find()) {
					perFile.merge(f.group(1), 1, Integer::sum);
				}
			}
			for (Sent s : accepted) {
				if (!s.user.equals(sub.user)) {
					continue;
				}
				int seen = perFile.getOrDefault(s.fileId.toString(), 0);
				if (seen == 0) {
					lost++;
					problems.add("subscriber " + sub.user + " never got the outcome of file " + s.fileId);
				}
				else if (seen > 1) {
					duplicated += seen - 1;
					problems.add("subscriber " + sub.user + " got the outcome of file " + s.fileId + " " + seen + " times");
				}
			}
			if (sub.gaps.get() > 0 || sub.replayed.get() > 0) {
				System.out.printf(Locale.ROOT, "faults: subscriber %s: %d connections, %d seq gaps seen and "
						+ "replayed, %d repeated entries dropped%n", sub.user, sub.connections.get(), sub.gaps.get(),
						sub.replayed.get());
			}
		}

		// email: every upload with a stored file in exactly one message
		Path mailDir = Path.of(this.o.get("mail"));
		Map<String, Integer> mentions = new HashMap<>();
		int emails = 0;
		try (Stream<Path> mails = Files.list(mailDir)) {
			for (Path m : (Iterable<Path>) mails.filter((p) -> p.toString().endsWith(".eml"))::iterator) {
				emails++;
				Set<String> ids = new HashSet<>();
				Matcher u = UUIDS.matcher(unfold(Files.readString(m, StandardCharsets.ISO_8859_1)));
				while (u.find()) {
					ids.add(u.group());
				}
				ids.forEach((id) -> mentions.merge(id, 1, Integer::sum));
			}
		}
		for (String upload : uploadIdsWithFiles) {
			int n = mentions.getOrDefault(upload, 0);
			if (n == 0) {
				lost++;
				problems.add("upload " + upload + " is in no email");
			}
			else if (n > 1) {
				duplicated += n - 1;
				problems.add("upload " + upload + " is in " + n + " emails");
			}
		}

		// parking: exactly the poison files, each with its AnalysisFailed (checked above)
		Set<String> parked = parked(admin);
		Set<String> poisonIds = new HashSet<>();
		accepted.stream().filter((s) -> s.poison).forEach((s) -> poisonIds.add(s.fileId.toString()));
		long poison = files.stream().filter((s) -> s.poison).count();
		long parkedPoison = parked.stream().filter(poisonIds::contains).count();
		for (String p : parked) {
			if (!poisonIds.contains(p)) {
				problems.add("parked request of file " + p + " is not a poison file");
			}
		}
		boolean parkedOk = parkedPoison == poison && parked.size() == poison;
		if (this.busyWithoutRetryAfter.get() > 0) {
			problems.add(this.busyWithoutRetryAfter.get() + " 503 answers without Retry-After");
		}

		for (String p : problems.subList(0, Math.min(40, problems.size()))) {
			System.out.println("faults: PROBLEM " + p);
		}
		if (problems.size() > 40) {
			System.out.println("faults: ... " + (problems.size() - 40) + " more problems");
		}
		Collections.sort(e2e);
		long p99 = e2e.isEmpty() ? -1 : e2e.get(Math.max(0, (int) Math.ceil(0.99 * e2e.size()) - 1));
		System.out.printf(Locale.ROOT, "faults: sent %d, accepted %d, analysed %d, lost %d, duplicated %d, orphans %d, "
				+ "poison %d parked %d, emails %d, e2e p99 %d ms%n", files.size(), accepted.size(), analysed, lost,
				duplicated, orphans, poison, parkedPoison, emails, p99);
		return lost == 0 && duplicated == 0 && orphans == 0 && parkedOk && analysed == accepted.size()
				&& this.busyWithoutRetryAfter.get() == 0;
	}

	/**
	 * The message's text as the recipient reads it, whatever the transfer encoding of its parts:
	 * quoted-printable soft line breaks joined, base64 blocks decoded and appended.
	 */
	private static String unfold(String mail) {
		StringBuilder text = new StringBuilder(mail.replace("=\r\n", "").replace("=\n", "").replace("=2D", "-"));
		StringBuilder block = new StringBuilder();
		for (String line : (mail + "\n\n").split("\r?\n")) {
			if (line.matches("[A-Za-z0-9+/=]{16,}")) {
				block.append(line);
				continue;
			}
			if (block.length() > 0) {
				try {
					text.append('\n').append(new String(java.util.Base64.getDecoder().decode(block.toString()),
							StandardCharsets.UTF_8));
				}
				catch (IllegalArgumentException ex) {
					// not base64 after all
				}
				block.setLength(0);
			}
		}
		return text.toString();
	}

	/** File ids of the requests in the workers' parking queue (one worker answers for the shared queue). */
	private Set<String> parked(String admin) throws Exception {
		for (String url : this.workerUrls) {
			try {
				HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(
						URI.create(url + "/api/admin/analysis/parked?limit=1000")).header("Authorization", "Bearer " + admin)
					.timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
				if (r.statusCode() == 200) {
					Set<String> ids = new HashSet<>();
					Matcher m = FILE_ID.matcher(r.body());
					while (m.find()) {
						ids.add(m.group(1));
					}
					return ids;
				}
				System.out.println("faults: parking list from " + url + ": " + r.statusCode() + " " + r.body());
			}
			catch (IOException ex) {
				System.out.println("faults: parking list from " + url + ": " + ex);
			}
		}
		throw new IllegalStateException("no worker answered the parking list");
	}

	/**
	 * A STOMP subscriber of one user over a plain WebSocket: SUBSCRIBE with {@code lastSeq} = the last entry it
	 * holds, entries kept by seq; a gap in seq or a dropped connection means reconnecting (to the next
	 * notifier) with {@code lastSeq}, as docs/notifications.md tells clients to do.
	 */
	final class Subscriber implements WebSocket.Listener {

		final String user;

		private final String token;

		private final List<String> urls;

		final Map<Long, String> events = new ConcurrentHashMap<>();

		final AtomicInteger connections = new AtomicInteger();

		final AtomicInteger gaps = new AtomicInteger();

		final AtomicInteger replayed = new AtomicInteger();

		private final AtomicLong lastSeq = new AtomicLong();

		private final StringBuilder partial = new StringBuilder();

		private volatile int next;

		private volatile WebSocket socket;

		private volatile boolean closed;

		private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "stomp-reconnect");
			t.setDaemon(true);
			return t;
		});

		Subscriber(String user, String token, List<String> urls, int first) {
			this.user = user;
			this.token = token;
			this.urls = urls;
			this.next = first;
		}

		long outcomeEvents() {
			return this.events.values().stream().filter((b) -> b.contains("\"AnalysisCompleted\"") || b.contains("\"AnalysisFailed\"")).count();
		}

		void connect() {
			if (this.closed) {
				return;
			}
			String url = this.urls.get(this.next++ % this.urls.size());
			synchronized (this.partial) {
				this.partial.setLength(0);
			}
			Faults.this.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
				.buildAsync(URI.create(url), this)
				.whenComplete((ws, ex) -> {
					if (ex != null) {
						retry();
					}
					else {
						this.socket = ws;
						this.connections.incrementAndGet();
						ws.sendText("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\nAuthorization:Bearer "
								+ this.token + "\n\n\0", true);
					}
				});
		}

		private void retry() {
			if (!this.closed) {
				this.reconnects.schedule(this::connect, 1, TimeUnit.SECONDS);
			}
		}

		private void reconnect(WebSocket ws) {
			if (ws == this.socket) {
				this.socket = null;
				ws.abort();
				retry();
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
			List<String> frames = new ArrayList<>();
			synchronized (this.partial) {
				this.partial.append(data);
				int end;
				while ((end = this.partial.indexOf("\0")) >= 0) {
					frames.add(this.partial.substring(0, end));
					this.partial.delete(0, end + 1);
					while (this.partial.length() > 0 && (this.partial.charAt(0) == '\n' || this.partial.charAt(0) == '\r')) {
						this.partial.deleteCharAt(0);
					}
				}
			}
			for (String frame : frames) {
				frame(ws, frame);
			}
			ws.request(1);
			return null;
		}

		private void frame(WebSocket ws, String frame) {
			String f = frame.replaceFirst("^[\r\n]+", "");
			if (f.startsWith("CONNECTED")) {
				ws.sendText("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/analyses\nlastSeq:" + this.lastSeq.get()
						+ "\n\n\0", true);
			}
			else if (f.startsWith("MESSAGE")) {
				int bodyAt = f.indexOf("\n\n");
				String body = bodyAt < 0 ? "" : f.substring(bodyAt + 2);
				Matcher s = SEQ.matcher(body);
				if (!s.find()) {
					return;
				}
				long seq = Long.parseLong(s.group(1));
				long expected = this.lastSeq.get() + 1;
				if (seq < expected) {
					this.replayed.incrementAndGet();
				}
				else if (seq == expected) {
					this.events.put(seq, body);
					this.lastSeq.set(seq);
				}
				else {
					// missed something: ask again from where we are
					this.gaps.incrementAndGet();
					reconnect(ws);
				}
			}
			else if (f.startsWith("ERROR")) {
				System.out.println("faults: subscriber " + this.user + " ERROR frame: " + f.replace('\n', ' '));
				reconnect(ws);
			}
		}

		@Override
		public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
			reconnect(ws);
			return null;
		}

		@Override
		public void onError(WebSocket ws, Throwable error) {
			reconnect(ws);
		}

		void close() {
			this.closed = true;
			WebSocket ws = this.socket;
			if (ws != null) {
				ws.abort();
			}
			this.reconnects.shutdownNow();
		}

	}

}
