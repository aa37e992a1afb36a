package io.dicomflow.cli.upload;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A minimal STOMP 1.2 client over the JDK's WebSocket: CONNECT with a bearer token, one SUBSCRIBE,
 * MESSAGE bodies handed to a consumer. An ERROR frame or a closed socket is reported through
 * {@link #failure()}.
 */
public final class StompConnection implements AutoCloseable {

    private final CompletableFuture<StompFrame> connected = new CompletableFuture<>();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final Consumer<String> messages;
    private WebSocket socket;

    private StompConnection(Consumer<String> messages) {
        this.messages = messages;
    }

    /**
     * Connects, authenticates and subscribes; returns once the server answered CONNECTED.
     *
     * @throws StompException when the socket cannot be opened or the server refuses the CONNECT
     */
    public static StompConnection open(HttpClient http, URI url, String bearerToken, String destination,
            Consumer<String> messages, Duration timeout) {
        StompConnection connection = new StompConnection(messages);
        try {
            connection.socket = http.newWebSocketBuilder().connectTimeout(timeout)
                    .buildAsync(url, connection.new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            connection.send(StompFrame.of("CONNECT", "accept-version", "1.2", "host", url.getHost(),
                    "heart-beat", "0,0", "Authorization", "Bearer " + bearerToken));
            CompletableFuture.anyOf(connection.connected, connection.failure).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (connection.failure.isDone()) {
                throw new StompException(connection.failure.join());
            }
            connection.send(StompFrame.of("SUBSCRIBE", "id", "sub-0", "destination", destination));
            return connection;
        } catch (ExecutionException e) {
            connection.close();
            throw new StompException("cannot open WebSocket " + url + ": " + describe(e.getCause()));
        } catch (TimeoutException e) {
            connection.close();
            throw new StompException("no STOMP answer from " + url + " within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
            throw new StompException("interrupted");
        } catch (StompException e) {
            connection.close();
            throw e;
        }
    }

    /** Completes with a one-line reason when the server sends ERROR or the socket closes. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    private synchronized void send(StompFrame frame) {
        socket.sendText(frame.encode(), true).join();
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open == null || open.isOutputClosed()) {
            return;
        }
        try {
            send(StompFrame.of("DISCONNECT"));
            open.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            open.abort();
        }
    }

    private static String describe(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        return message == null ? String.valueOf(cause) : message;
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(StompFrame.decodeAll(text));
                } catch (RuntimeException e) {
                    failure.complete("bad STOMP frame from the server: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(List<StompFrame> frames) {
            for (StompFrame frame : frames) {
                switch (frame.command()) {
                    case "CONNECTED" -> connected.complete(frame);
                    case "MESSAGE" -> messages.accept(frame.body());
                    case "ERROR" -> failure.complete("STOMP error: "
                            + (frame.header("message") != null ? frame.header("message") : frame.body().strip()));
                    default -> {
                        // RECEIPT and anything newer: nothing to do
                    }
                }
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failure.complete("WebSocket closed by the server (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failure.complete("WebSocket error: " + describe(error));
        }
    }

    /** The notification channel could not be used. */
    public static final class StompException extends RuntimeException {
        public StompException(String message) {
            super(message);
        }
    }
}
