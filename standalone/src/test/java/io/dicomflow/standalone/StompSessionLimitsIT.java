package io.dicomflow.standalone;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How long and from where a STOMP session may live: it ends when the token it connected with expires, and
 * only the portal's own origin (or a client that sends none, i.e. not a browser) may open the WebSocket.
 */
class StompSessionLimitsIT {

	private final Pipeline pipeline = Pipeline.get();

	@Test
	void aSessionEndsWhenItsTokenExpires() throws Exception {
		String url = this.pipeline.services.notificationWebSocketUrl();
		// validity in whole seconds (JWT exp); long enough to connect and subscribe on a loaded machine
		try (RawStomp shortLived = RawStomp.connect(url, TestTokens.forUser("bob", Duration.ofSeconds(6)));
				RawStomp longLived = RawStomp.connect(url, TestTokens.forUser("bob"))) {
			long connected = System.nanoTime();
			shortLived.send("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/analyses\n\n");
			longLived.send("SUBSCRIBE\nid:sub-0\ndestination:/user/queue/analyses\n\n");
			Thread.sleep(1000);
			assertThat(shortLived.closed()).as("open while the token is valid").isNull();

			await().atMost(Duration.ofSeconds(30)).until(() -> shortLived.closed() != null);
			long lived = (System.nanoTime() - connected) / 1_000_000;
			assertThat(lived).as("ms from CONNECT to the close").isGreaterThan(3000);
			assertThat(shortLived.closed().getCode()).isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
			// after CONNECTED nothing but the ERROR frame saying why (unless the close overtook it)
			assertThat(shortLived.received().stream().filter((frame) -> !frame.isBlank()).skip(1))
				.allSatisfy((frame) -> assertThat(frame).startsWith("ERROR").contains("token expired"));
			assertThat(longLived.closed()).as("a session with a valid token stays").isNull();
		}
	}

	@Test
	void onlyThePortalsOriginMayOpenTheWebSocket() throws Exception {
		String url = this.pipeline.services.notificationWebSocketUrl();
		String portal = this.pipeline.services.uploadUrl();
		assertThatThrownBy(() -> handshake(url, "http://evil.example")).as("another site")
			.isInstanceOf(ExecutionException.class);
		assertThatThrownBy(() -> handshake(url, portal.replace("127.0.0.1", "localhost"))).as("another origin")
			.isInstanceOf(ExecutionException.class);
		try (WebSocketSession fromPortal = handshake(url, portal); WebSocketSession noOrigin = handshake(url, null)) {
			assertThat(fromPortal.isOpen()).as("the portal").isTrue();
			assertThat(noOrigin.isOpen()).as("a client that is not a browser").isTrue();
		}
	}

	private static WebSocketSession handshake(String url, String origin) throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		if (origin != null) {
			headers.setOrigin(origin);
		}
		return new StandardWebSocketClient().execute(new TextWebSocketHandler(), headers, URI.create(url))
			.get(10, TimeUnit.SECONDS);
	}

}
