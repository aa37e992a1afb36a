package io.dicomflow.infra;

import com.icegreen.greenmail.util.GreenMail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL, an AMQP 0-9-1 broker, an S3 endpoint and an SMTP server for one run of the product or of a test suite,
 * all on 127.0.0.1 and, when embedded, on free ports chosen at start.
 *
 * <pre>{@code
 * try (Infrastructure infra = Infrastructure.start(InfraOptions.forTests())) {
 *     new SpringApplicationBuilder(App.class).properties(infra.springProperties()).run();
 * }
 * }</pre>
 *
 * The four servers start in parallel. A JVM shutdown hook calls {@link #close()} if the owner does not.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final InfraOptions options;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final Component database;
    private final Component amqp;
    private final S3Server s3;
    private final SmtpServer smtp;
    private final Map<String, Object> properties;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private final List<AutoCloseable> closeFirstAtExit = new CopyOnWriteArrayList<>();

    private Infrastructure(InfraOptions options, Path dataDir, boolean deleteDataDir, Component database,
            Component amqp, S3Server s3, SmtpServer smtp) {
        this.options = options;
        this.dataDir = dataDir;
        this.deleteDataDir = deleteDataDir;
        this.database = database;
        this.amqp = amqp;
        this.s3 = s3;
        this.smtp = smtp;
        Map<String, Object> p = new LinkedHashMap<>();
        for (Component c : List.of(database, amqp, s3, smtp)) {
            p.putAll(c.properties());
        }
        this.properties = Collections.unmodifiableMap(p);
        this.shutdownHook = new Thread(this::closeFromHook, "dicomflow-infra-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts what the options ask for, in parallel. If one server fails, the others are stopped again and an
     * {@link IllegalStateException} says which failed.
     */
    public static Infrastructure start(InfraOptions options) {
        Objects.requireNonNull(options, "options");
        QuietLogging.apply();
        long started = System.nanoTime();
        boolean embedded = options.mode() == InfraOptions.Mode.EMBEDDED;
        boolean durable = options.durable();
        Path dir = dataDirectory(options);
        boolean deleteDir = !durable;

        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dicomflow-infra-start-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Component> db = pool.submit(timed("PostgreSQL",
                    () -> embedded ? PostgresServer.start(dir, durable) : LocalPostgres.start()));
            Future<Component> mq = pool.submit(timed("AMQP",
                    () -> embedded ? QpidBroker.start(dir, durable) : LocalRabbit.start()));
            Future<Component> s3 = pool.submit(timed("S3", () -> S3Server.start(dir, durable)));
            Future<Component> smtp = pool.submit(timed("SMTP", SmtpServer::start));

            List<Component> up = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<Component> f : List.of(db, mq, s3, smtp)) {
                try {
                    up.add(f.get());
                } catch (ExecutionException | InterruptedException e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (failure == null) {
                        failure = new IllegalStateException("embedded infrastructure did not start: " + cause, cause);
                    } else {
                        failure.addSuppressed(cause);
                    }
                    up.add(null);
                }
            }
            if (failure != null) {
                for (Component c : up) {
                    if (c != null) {
                        c.close();
                    }
                }
                if (deleteDir) {
                    deleteRecursively(dir);
                }
                throw failure;
            }
            Infrastructure infra = new Infrastructure(options, dir, deleteDir, up.get(0), up.get(1),
                    (S3Server) up.get(2), (SmtpServer) up.get(3));
            log.info("Infrastructure ({}{}) up in {} ms", options.mode(), durable ? ", durable in " + dir : "",
                    (System.nanoTime() - started) / 1_000_000);
            return infra;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<Component> timed(String what, Callable<Component> start) {
        return () -> {
            long t0 = System.nanoTime();
            Component c = start.call();
            log.debug("{} ready in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
            return c;
        };
    }

    private static Path dataDirectory(InfraOptions options) {
        try {
            if (options.durable()) {
                return Files.createDirectories(options.dataDir());
            }
            if (options.dataDir() != null) {
                return Files.createTempDirectory(Files.createDirectories(options.dataDir()), "run-");
            }
            return Files.createTempDirectory("dicomflow-infra-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory", e);
        }
    }

    /**
     * The properties that point a dicomflow service at these servers: {@code spring.datasource.*},
     * {@code spring.rabbitmq.*}, {@code dicomflow.amqp.broker} ({@code qpid} or {@code rabbitmq}),
     * {@code dicomflow.storage.*}, {@code spring.mail.*} and {@code dicomflow.mail.imap-port}. Unmodifiable.
     */
    public Map<String, Object> springProperties() {
        return properties;
    }

    /** One line per server, for the startup banner. */
    public List<String> describe() {
        return List.of(database.describe(), amqp.describe(), s3.describe(), smtp.describe());
    }

    /** Stops the embedded broker; clients get "connection refused" until {@link #startBroker()}. */
    public void stopBroker() {
        embeddedBroker().stopBroker();
    }

    /** Starts the embedded broker again on the same port. */
    public void startBroker() {
        embeddedBroker().startBroker();
    }

    private QpidBroker embeddedBroker() {
        if (amqp instanceof QpidBroker broker) {
            return broker;
        }
        throw new IllegalStateException("the AMQP broker is not embedded (" + options.mode()
                + " mode); it cannot be stopped or started from here");
    }

    /** The embedded SMTP/IMAP server; tests read {@code mail().getReceivedMessages()}. */
    public GreenMail mail() {
        return smtp.greenMail();
    }

    /** An S3 client for the object store (path-style, its credentials); the caller closes it. */
    public software.amazon.awssdk.services.s3.S3Client s3Client() {
        return s3.client();
    }

    /** The bucket the services store objects in; it exists once {@link #start} returns. */
    public String s3Bucket() {
        return S3Server.BUCKET;
    }

    /** The options this infrastructure was started with. */
    public InfraOptions options() {
        return options;
    }

    /** Stops everything that was started, drops the per-run local database and vhost, deletes ephemeral data. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook or while the JVM exits
        }
        stopAll();
    }

    /**
     * Has this infrastructure's shutdown hook close {@code user} (for example the services running on it) before it
     * stops the servers; users registered earlier are closed first. The JVM runs shutdown hooks in parallel, so an
     * owner's own hook would race this one, and the database and broker would stop under in-flight work.
     */
    public void closeFirstAtExit(AutoCloseable user) {
        closeFirstAtExit.add(Objects.requireNonNull(user, "user"));
    }

    private void closeFromHook() {
        if (closed.compareAndSet(false, true)) {
            for (AutoCloseable user : closeFirstAtExit) {
                try {
                    user.close();
                } catch (Exception e) {
                    log.warn("Closing {} at exit failed", user, e);
                }
            }
            stopAll();
        }
    }

    private void stopAll() {
        smtp.close();
        s3.close();
        amqp.close();
        database.close();
        if (deleteDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
