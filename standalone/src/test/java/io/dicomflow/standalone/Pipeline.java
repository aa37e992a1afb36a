package io.dicomflow.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.dicomflow.infra.InfraOptions;
import io.dicomflow.infra.Infrastructure;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * The whole product on test infrastructure, started once per test JVM and shared by the end-to-end tests:
 * embedded servers by default, PostgreSQL and RabbitMQ on 127.0.0.1 with {@code -Dinfra=local}. Also the
 * clients the tests talk to it with: HTTP, STOMP over WebSocket, the SMTP server's mailbox and the corpus.
 */
final class Pipeline {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The notifier's digest window in tests. */
	static final java.time.Duration DIGEST_WINDOW = java.time.Duration.ofSeconds(6);

	private static Pipeline shared;

	final Infrastructure infrastructure;

	final DicomflowServices services;

	final RestClient http;

	private Pipeline(Infrastructure infrastructure, DicomflowServices services) {
		this.infrastructure = infrastructure;
		this.services = services;
		this.http = client(services.uploadUrl());
	}

	/** A client of {@code baseUrl} that hands error statuses to the test instead of throwing them. */
	static RestClient client(String baseUrl) {
		return RestClient.builder()
			.baseUrl(baseUrl)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
	}

	static synchronized Pipeline get() {
		if (shared == null) {
			Infrastructure infrastructure = Infrastructure.start(InfraOptions.forTests());
			DicomflowServices services = DicomflowServices.start(serviceProperties(infrastructure), 0);
			shared = new Pipeline(infrastructure, services);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				services.close();
				infrastructure.close();
			}));
		}
		return shared;
	}

	/** What the services of a test run get: the infrastructure, demo users, trusted test tokens, fast polling. */
	static Map<String, Object> serviceProperties(Infrastructure infrastructure) {
		Map<String, Object> properties = new LinkedHashMap<>(infrastructure.springProperties());
		properties.put("dicomflow.storage.create-bucket", true);
		properties.put("dicomflow.outbox.poll-interval", "200ms");
		// every service of a test run (several may run side by side) serves management on a free port
		properties.put("management.server.port", 0);
		// the "10,000 files in one request", and multipart S3 uploads from a few MB on
		properties.put("dicomflow.upload.max-files", 10_000);
		properties.put("dicomflow.storage.multipart-threshold", "6MB");
		properties.put("dicomflow.storage.part-size", "5MB");
		// a short digest window, so that tests waiting for a digest wait seconds, not the default five minutes
		properties.put("dicomflow.notification.digest-window", DIGEST_WINDOW.toString());
		properties.put("dicomflow.notification.digest-poll-interval", "200ms");
		properties.putAll(DemoUsers.properties());
		// the Storage SCP as standalone runs it, and a second calling AE that sends as bob
		properties.putAll(DemoUsers.dimseProperties("127.0.0.1"));
		properties.put("dicomflow.dimse.callers", DemoUsers.SCU_AE_TITLE + "=alice,BOB_SCU=bob,ORTHANC=alice");
		properties.putAll(TestTokens.resourceServerProperties());
		return properties;
	}

	/** The Authorization header value that authenticates {@code user} (one place, whatever the scheme). */
	static String authorization(String user) {
		return "Bearer " + TestTokens.forUser(user);
	}

	static String email(String user) {
		return DemoUsers.named(user).email();
	}

	/** Bytes of a corpus file from {@code common}'s test resources. */
	static byte[] corpus(String name) {
		try (InputStream in = Pipeline.class.getResourceAsStream("/corpus/dicom/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("no corpus file " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The reference entry (reference.jsonl) of a corpus file. */
	static JsonNode reference(String name) {
		try (InputStream in = Pipeline.class.getResourceAsStream("/corpus/dicom/reference.jsonl")) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (!line.isBlank()) {
					JsonNode node = JSON.readTree(line);
					if (name.equals(node.path("file").asString())) {
						return node;
					}
				}
			}
			throw new IllegalArgumentException("no reference for " + name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** POSTs the given (name → bytes) files to /api/uploads as {@code user}; returns status and JSON body. */
	Response upload(String user, Map<String, byte[]> files) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		files.forEach((name, bytes) -> body.part("files", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return name;
			}
		}).contentType(MediaType.parseMediaType("application/dicom")));
		MultiValueMap<String, HttpEntity<?>> parts = body.build();
		return this.http.post()
			.uri("/api/uploads")
			.header(HttpHeaders.AUTHORIZATION, authorization(user))
			.header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(parts)
			.exchange((request, response) -> new Response(response.getStatusCode().value(),
					response.getHeaders().getContentType(), readJson(response.getBody())));
	}

	/** POSTs JSON (or no body when null) to {@code path} as {@code user}. */
	Response post(String user, String path, Object json) {
		var request = this.http.post().uri(path).header(HttpHeaders.AUTHORIZATION, authorization(user));
		if (json != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(json);
		}
		return request.exchange((req, response) -> new Response(response.getStatusCode().value(),
				response.getHeaders().getContentType(), readJson(response.getBody())));
	}

	/** POSTs the given (name → bytes) files as multipart {@code files} parts to {@code path} as {@code user}. */
	Response uploadTo(String user, String path, Map<String, byte[]> files) {
		MultipartBodyBuilder body = new MultipartBodyBuilder();
		files.forEach((name, bytes) -> body.part("files", new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return name;
			}
		}).contentType(MediaType.parseMediaType("application/dicom")));
		return this.http.post()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, authorization(user))
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(body.build())
			.exchange((request, response) -> new Response(response.getStatusCode().value(),
					response.getHeaders().getContentType(), readJson(response.getBody())));
	}

	/**
	 * The user's upload that holds a file of this SOP Instance UID (among their latest 100), or null; fails if two
	 * do.
	 */
	JsonNode uploadHolding(String user, String sopInstanceUid) {
		Response page = get(user, "/api/uploads?size=100");
		if (page.status() != 200) {
			throw new IllegalStateException("GET /api/uploads answered " + page.status());
		}
		JsonNode found = null;
		for (JsonNode upload : page.body().path("content")) {
			for (JsonNode file : upload.path("files")) {
				if (sopInstanceUid.equals(file.path("sopInstanceUid").asString())) {
					if (found != null && found != upload) {
						throw new IllegalStateException("two uploads hold " + sopInstanceUid);
					}
					found = upload;
				}
			}
		}
		return found;
	}

	Response get(String user, String path) {
		return this.http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, authorization(user))
			.exchange((request, response) -> new Response(response.getStatusCode().value(),
					response.getHeaders().getContentType(), readJson(response.getBody())));
	}

	private static JsonNode readJson(InputStream body) throws IOException {
		byte[] bytes = body.readAllBytes();
		return (bytes.length == 0) ? JSON.missingNode() : JSON.readTree(bytes);
	}

	/** A STOMP session of {@code user} subscribed to its analysis events. */
	Listener listen(String user) throws Exception {
		return listen(user, this.services.notificationWebSocketUrl(), null);
	}

	/**
	 * A STOMP session of {@code user} at the notifier {@code webSocketUrl}, subscribed to its events; with
	 * {@code lastSeq}, the notifier first replays what came after it.
	 */
	static Listener listen(String user, String webSocketUrl, Long lastSeq) throws Exception {
		WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new JacksonJsonMessageConverter());
		StompHeaders connect = new StompHeaders();
		connect.add("Authorization", authorization(user));
		StompSession session = client
			.connectAsync(webSocketUrl, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
			})
			.get(10, TimeUnit.SECONDS);
		Listener listener = new Listener(session);
		StompHeaders subscribe = new StompHeaders();
		subscribe.setDestination("/user/queue/analyses");
		if (lastSeq != null) {
			subscribe.add("lastSeq", lastSeq.toString());
		}
		session.subscribe(subscribe, listener);
		return listener;
	}

	/**
	 * @param status HTTP status
	 * @param contentType response media type
	 * @param body parsed JSON body (missing node when empty)
	 */
	record Response(int status, MediaType contentType, JsonNode body) {
	}

	/** Collects the events a STOMP subscription receives. */
	static final class Listener implements StompFrameHandler {

		final StompSession session;

		final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

		Listener(StompSession session) {
			this.session = session;
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return JsonNode.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, Object payload) {
			this.events.add((JsonNode) payload);
		}

		List<JsonNode> received() {
			return new ArrayList<>(this.events);
		}

	}

	/** Counts mails per (recipient, subject). */
	Map<String, Integer> mailsBySubject(String recipient) {
		Map<String, Integer> counts = new HashMap<>();
		try {
			for (var message : this.infrastructure.mail().getReceivedMessages()) {
				for (var to : message.getAllRecipients()) {
					if (to.toString().equals(recipient)) {
						counts.merge(message.getSubject(), 1, Integer::sum);
					}
				}
			}
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
		return counts;
	}

	/** The plain-text bodies of the mails to {@code recipient} whose text mentions {@code needle}. */
	List<Mail> mailsMentioning(String recipient, String needle) {
		List<Mail> found = new ArrayList<>();
		try {
			for (var message : this.infrastructure.mail().getReceivedMessages()) {
				boolean toRecipient = java.util.Arrays.stream(message.getAllRecipients())
					.anyMatch((to) -> to.toString().equals(recipient));
				if (toRecipient) {
					String text = plainText(message);
					if (text.contains(needle)) {
						found.add(new Mail(message.getSubject(), text));
					}
				}
			}
		}
		catch (jakarta.mail.MessagingException | IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

	/** A received mail: subject and decoded plain-text part. */
	record Mail(String subject, String text) {
	}

	static String plainText(jakarta.mail.Part part) throws jakarta.mail.MessagingException, IOException {
		if (part.isMimeType("text/plain")) {
			return (String) part.getContent();
		}
		if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
			StringBuilder text = new StringBuilder();
			for (int i = 0; i < multipart.getCount(); i++) {
				text.append(plainText(multipart.getBodyPart(i)));
			}
			return text.toString();
		}
		return "";
	}

}
