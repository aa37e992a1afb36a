package io.dicomflow.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL already running (default {@code 127.0.0.1:5432}, user {@code postgres}, trust authentication):
 * a fresh database {@code dicomflow_<random>} is created for this run and dropped, with its sessions, on close.
 *
 * <p>Overrides: {@code dicomflow.local.pg.url} / {@code DICOMFLOW_LOCAL_PG_URL} (JDBC URL of the administrative
 * database), {@code dicomflow.local.pg.user} / {@code DICOMFLOW_LOCAL_PG_USER},
 * {@code dicomflow.local.pg.password} / {@code DICOMFLOW_LOCAL_PG_PASSWORD}.
 */
final class LocalPostgres implements Component {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?$");

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String database;
    private final String url;

    private LocalPostgres(String adminUrl, String user, String password, String database) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.database = database;
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + adminUrl);
        }
        this.url = m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
    }

    static LocalPostgres start() {
        LocalPostgres pg = new LocalPostgres(
                LocalSettings.get("pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                LocalSettings.get("pg.user", "postgres"),
                LocalSettings.get("pg.password", ""),
                "dicomflow_" + LocalSettings.randomSuffix());
        try (Connection c = pg.admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + pg.database + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + pg.database + " on local PostgreSQL "
                    + pg.adminUrl + " as " + pg.user + ": " + e.getMessage(), e);
        }
        return pg;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(adminUrl, user, password);
    }

    String jdbcUrl() {
        return url;
    }

    String database() {
        return database;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", user);
        p.put("spring.datasource.password", password);
        return p;
    }

    @Override
    public String describe() {
        return "PostgreSQL: local server, database " + database + " (created for this run) at " + url;
    }

    @Override
    public void close() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
        } catch (SQLException e) {
            log.warn("Could not drop database {} on local PostgreSQL: {}", database, e.getMessage());
        }
    }
}
