package io.dicomflow.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

/**
 * A TCP forwarder in front of a real server that can be switched "down": while down it accepts and drops every
 * connection at once (what a client sees of a crashed or unreachable endpoint), and resets the ones open. Used
 * to take the real S3 endpoint away from the worker for a while without stopping it for everyone else.
 */
final class FlakyTcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final String targetHost;

	private final int targetPort;

	private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private volatile boolean down;

	FlakyTcpProxy(URI target) throws IOException {
		this.targetHost = target.getHost();
		this.targetPort = target.getPort();
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "flaky-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	void down() {
		this.down = true;
		this.open.forEach(FlakyTcpProxy::closeQuietly);
	}

	void up() {
		this.down = false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.down) {
					client.setSoLinger(true, 0);
					client.close();
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), 2000);
				this.open.add(client);
				this.open.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
			catch (IOException ex) {
				// closed, or one connection failed; keep accepting
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}, "flaky-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		this.open.forEach(FlakyTcpProxy::closeQuietly);
	}

}
