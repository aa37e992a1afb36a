package io.dicomflow.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * STOMP written by hand over a WebSocket, for the security tests: unlike Spring's STOMP client it sends header
 * values exactly as given (including STOMP escapes such as {@code \c}) and any command, and it shows every frame
 * the server answers, ERROR included, and whether the server closed the connection.
 */
final class RawStomp extends TextWebSocketHandler implements AutoCloseable {

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final List<String> all = new ArrayList<>();

	private volatile CloseStatus closed;

	private WebSocketSession session;

	private RawStomp() {
	}

	/** Opens the WebSocket and sends {@code connectFrame} (a whole frame without its NUL). */
	static RawStomp open(String url, String connectFrame) throws Exception {
		RawStomp stomp = new RawStomp();
		stomp.session = new StandardWebSocketClient().execute(stomp, new WebSocketHttpHeaders(), URI.create(url))
			.get(10, TimeUnit.SECONDS);
		stomp.send(connectFrame);
		return stomp;
	}

	/** CONNECT with {@code token} as bearer; returns once the server answered CONNECTED. */
	static RawStomp connect(String url, String token) throws Exception {
		RawStomp stomp = open(url, "CONNECT\naccept-version:1.2\nhost:127.0.0.1\nAuthorization:Bearer " + token + "\n\n");
		String answer = stomp.next(Duration.ofSeconds(10));
		if (answer == null || !answer.startsWith("CONNECTED")) {
			throw new IllegalStateException("no CONNECTED but " + answer);
		}
		return stomp;
	}

	void send(String frame) throws IOException {
		this.session.sendMessage(new TextMessage(frame + "\0"));
	}

	/**
	 * The next frame from the server (heartbeats skipped), or null after {@code wait} or once the server has
	 * closed the connection with nothing more received.
	 */
	String next(Duration wait) throws InterruptedException {
		long deadline = System.nanoTime() + wait.toNanos();
		while (System.nanoTime() < deadline) {
			boolean wasClosed = this.closed != null;
			String frame = this.frames.poll(100, TimeUnit.MILLISECONDS);
			if (frame != null && !frame.isBlank()) {
				return frame;
			}
			if (frame == null && wasClosed) {
				return null;
			}
		}
		return null;
	}

	/** Every frame received so far, in order. */
	synchronized List<String> received() {
		return new ArrayList<>(this.all);
	}

	/** How the server closed the connection; null while open. */
	CloseStatus closed() {
		return this.closed;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		String frame = message.getPayload().replace("\0", "");
		synchronized (this) {
			this.all.add(frame);
		}
		this.frames.add(frame);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.closed = status;
	}

	@Override
	public void close() {
		try {
			if (this.session.isOpen()) {
				this.session.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
