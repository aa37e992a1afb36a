package io.dicomflow.infra;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link Infrastructure#start(InfraOptions)} should start.
 *
 * @param mode     {@link Mode#EMBEDDED}: all four servers in this JVM; {@link Mode#LOCAL}: PostgreSQL and
 *                 RabbitMQ already running on 127.0.0.1, S3 and SMTP still embedded
 * @param dataDir  where the servers keep their files; {@code null} means a temporary directory deleted on close
 * @param durable  keep data across restarts (fsync on, Derby message store, filesystem S3); needs a dataDir
 */
public record InfraOptions(Mode mode, Path dataDir, boolean durable) {

    /** Where PostgreSQL and the AMQP broker come from. */
    public enum Mode { EMBEDDED, LOCAL }

    public InfraOptions {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (durable && dataDir == null) {
            throw new IllegalArgumentException("durable mode needs a data directory");
        }
    }

    /**
     * For integration tests: ephemeral data; the mode comes from the system property {@code infra}
     * ({@code local} gives {@link Mode#LOCAL}, anything else {@link Mode#EMBEDDED}).
     */
    public static InfraOptions forTests() {
        String infra = System.getProperty("infra", "embedded").trim().toLowerCase(Locale.ROOT);
        return new InfraOptions("local".equals(infra) ? Mode.LOCAL : Mode.EMBEDDED, null, false);
    }

    /** For the standalone application: everything embedded, data kept under {@code dataDir}. */
    public static InfraOptions standalone(Path dataDir) {
        return new InfraOptions(Mode.EMBEDDED, dataDir, true);
    }
}
