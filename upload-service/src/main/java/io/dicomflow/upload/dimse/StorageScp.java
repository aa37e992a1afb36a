package io.dicomflow.upload.dimse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.dicomflow.common.dicom.net.Pdu;
import io.dicomflow.upload.backpressure.BackpressureGate;
import io.dicomflow.upload.upload.UploadIngest;
import io.dicomflow.upload.upload.UploadProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The Storage SCP's listener: accepts connections on the configured address and port and runs each association
 * on a thread of a pool of {@code max-associations} threads. A connection beyond that is answered at once with
 * an A-ASSOCIATE-RJ (transient, local limit exceeded), as is one from a calling AE already at its
 * {@code max-associations-per-ae}, so a sender retries later instead of waiting in a queue.
 */
@Component
@EnableConfigurationProperties(DimseProperties.class)
public class StorageScp implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(StorageScp.class);

	private final DimseProperties config;

	private final UploadIngest ingest;

	private final long maxFileSize;

	private final BackpressureGate gate;

	private final Map<String, AtomicInteger> perAe = new ConcurrentHashMap<>();

	private volatile ServerSocket server;

	/** The connections being served, closed on stop (a blocking read does not heed interruption). */
	private final java.util.Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private volatile ExecutorService pool;

	private Thread acceptor;

	public StorageScp(DimseProperties config, UploadIngest ingest, UploadProperties limits, BackpressureGate gate) {
		this.config = config;
		this.ingest = ingest;
		this.maxFileSize = limits.maxFileSize().toBytes();
		this.gate = gate;
	}

	@Override
	public synchronized void start() {
		if (!this.config.enabled() || this.server != null) {
			return;
		}
		try {
			ServerSocket socket = TlsServerSockets.create(this.config.tls());
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByName(this.config.bindAddress()), this.config.port()),
					64);
			this.server = socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("DIMSE: cannot listen on " + this.config.bindAddress() + ":"
					+ this.config.port(), ex);
		}
		AtomicInteger threads = new AtomicInteger();
		// no queue: a connection either gets a thread now or is rejected (see accept)
		this.pool = new ThreadPoolExecutor(this.config.maxAssociations(), this.config.maxAssociations(), 60,
				TimeUnit.SECONDS, new SynchronousQueue<>(), (r) -> {
					Thread t = new Thread(r, "dimse-association-" + threads.incrementAndGet());
					t.setDaemon(true);
					return t;
				});
		((ThreadPoolExecutor) this.pool).allowCoreThreadTimeOut(true);
		this.acceptor = new Thread(this::acceptLoop, "dimse-acceptor");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
		log.info("DIMSE Storage SCP {} listening on {}:{}{} ({} calling AE titles known)", this.config.aeTitle(),
				this.config.bindAddress(), localPort(),
				this.config.tls().enabled() ? " with TLS " + this.config.tls().protocols() + ", client certificates "
						+ this.config.tls().clientAuth().name().toLowerCase(java.util.Locale.ROOT) : "",
				this.config.owners().size());
	}

	private void acceptLoop() {
		ServerSocket socket = this.server;
		while (!socket.isClosed()) {
			Socket connection;
			try {
				connection = socket.accept();
			}
			catch (IOException ex) {
				if (!socket.isClosed()) {
					log.warn("DIMSE accept failed", ex);
				}
				continue;
			}
			this.connections.add(connection);
			try {
				this.pool.execute(() -> {
					try {
						new Association(connection, this).run();
					}
					finally {
						this.connections.remove(connection);
					}
				});
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				this.connections.remove(connection);
				refuseBusy(connection);
			}
		}
	}

	/**
	 * No thread free: A-ASSOCIATE-RJ transient, service provider (presentation), local limit exceeded. Over TLS
	 * the connection is just closed: the A-ASSOCIATE-RJ would need a handshake first, and that would run on the
	 * acceptor's thread, where a slow peer could hold up every other connection.
	 */
	private static void refuseBusy(Socket connection) {
		if (connection instanceof javax.net.ssl.SSLSocket) {
			log.warn("DIMSE TLS connection from {} closed: all association threads busy",
					connection.getRemoteSocketAddress());
			closeQuietly(connection);
			return;
		}
		try (connection) {
			connection.setSoTimeout(1000);
			connection.getOutputStream().write(Pdu.reject(2, 3, 2));
			connection.getOutputStream().flush();
			log.warn("DIMSE connection from {} rejected: all association threads busy",
					connection.getRemoteSocketAddress());
		}
		catch (IOException ex) {
			// the peer went away
		}
	}

	/** Counts an association of {@code callingAe}; false (nothing counted) when it is at its limit. */
	boolean enter(String callingAe) {
		AtomicInteger count = this.perAe.computeIfAbsent(callingAe, (ae) -> new AtomicInteger());
		while (true) {
			int now = count.get();
			if (now >= this.config.maxAssociationsPerAe()) {
				return false;
			}
			if (count.compareAndSet(now, now + 1)) {
				return true;
			}
		}
	}

	void leave(String callingAe) {
		this.perAe.get(callingAe).decrementAndGet();
	}

	DimseProperties config() {
		return this.config;
	}

	UploadIngest ingest() {
		return this.ingest;
	}

	long maxFileSize() {
		return this.maxFileSize;
	}

	boolean overloaded() {
		return this.gate.overloaded();
	}

	/** The port listened on (the configured one, or the one chosen for port 0); -1 when not listening. */
	public int localPort() {
		ServerSocket socket = this.server;
		return (socket != null) ? socket.getLocalPort() : -1;
	}

	@Override
	public synchronized void stop() {
		ServerSocket socket = this.server;
		if (socket == null) {
			return;
		}
		this.server = null;
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.pool.shutdown();
		try {
			// associations in progress may finish the instance they are storing; then the connections are closed
			if (!this.pool.awaitTermination(5, TimeUnit.SECONDS)) {
				this.connections.forEach(StorageScp::closeQuietly);
				this.pool.shutdownNow();
				this.pool.awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.pool.shutdownNow();
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	@Override
	public int getPhase() {
		// after the web server's phase: stops before the database and broker connections go
		return SmartLifecycle.DEFAULT_PHASE - 1024;
	}

}
