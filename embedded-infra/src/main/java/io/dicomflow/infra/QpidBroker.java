package io.dicomflow.infra;

import io.dicomflow.infra.qpidstore.PreparedRemovalDerbyVirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;
import org.apache.qpid.server.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Apache Qpid Broker-J speaking AMQP 0-9-1 on 127.0.0.1, user guest/guest, virtual host {@code default}
 * (also reached as {@code /} through Qpid's default alias).
 *
 * <p>Ephemeral: in-memory system config and message store. Durable: JSON config store and a Derby message store
 * under {@code <dataDir>/qpid}, so durable queues and persistent messages survive a restart. The Derby store is
 * Qpid's, served by dicomflow's {@link PreparedRemovalDerbyVirtualHost} type (prepared deletes, reused connections;
 * {@link #DERBY_STORE_PROPERTY} selects Qpid's own type instead).
 * Unknown queue-declare arguments ({@code x-queue-type}, {@code x-dead-letter-exchange}, ...) are ignored instead of
 * closing the connection, and housekeeping runs every 200 ms so TTL expiry is prompt.
 *
 * <p>{@link SystemLauncher#startup} does not throw for a broken configuration (it logs and returns), so failures are
 * caught through the launcher listener and by probing the port. The broker can be stopped and started again on the
 * same port, for broker-outage tests.
 */
final class QpidBroker implements Component {

    private static final Logger log = LoggerFactory.getLogger(QpidBroker.class);
    static final String USER = "guest";
    static final String PASSWORD = "guest";
    static final String VIRTUAL_HOST = "default";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final Path workDir;
    private final boolean durable;
    private final int port;
    private final Path initialConfig;
    private final Path systemProperties;
    private SystemLauncher launcher;
    private SystemConfig<?> runningSystemConfig;

    private QpidBroker(Path workDir, boolean durable, int port) {
        this.workDir = workDir;
        this.durable = durable;
        this.port = port;
        this.initialConfig = workDir.resolve("initial-config.json");
        this.systemProperties = workDir.resolve("system.properties");
    }

    static QpidBroker start(Path dataDir, boolean durable) {
        try {
            Path workDir = Files.createDirectories(dataDir.resolve("qpid"));
            QpidBroker broker = new QpidBroker(workDir, durable, FreePorts.next());
            Files.writeString(broker.initialConfig, initialConfiguration(durable), StandardCharsets.UTF_8);
            Files.writeString(broker.systemProperties, SYSTEM_PROPERTIES, StandardCharsets.ISO_8859_1);
            broker.startBroker();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded AMQP broker did not start", e);
        }
    }

    int port() {
        return port;
    }

    synchronized boolean isRunning() {
        return launcher != null;
    }

    /** Starts the broker (again) on the same port; a no-op if it runs. */
    synchronized void startBroker() {
        if (launcher != null) {
            return;
        }
        AtomicReference<RuntimeException> startupError = new AtomicReference<>();
        AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();
        SystemLauncher candidate = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void errorOnStartup(RuntimeException e) {
                startupError.set(e);
            }

            @Override
            public void onContainerResolve(SystemConfig<?> config) {
                systemConfig.set(config);
            }
        });
        redirectDerbyLog(); // also in memory mode: loading the Derby plugin boots Derby's engine and its log
        long started = System.nanoTime();
        try {
            if (durable) {
                DerbyVirtualHostTypeMigration.switchTo(DerbyVirtualHostTypeMigration.nodeStore(workDir, VIRTUAL_HOST),
                        durableVirtualHostType());
            }
            candidate.startup(systemConfig());
        } catch (Exception e) {
            shutdownQuietly(candidate);
            throw new IllegalStateException("embedded AMQP broker did not start", e);
        }
        if (startupError.get() != null || !FreePorts.awaitListening(FreePorts.HOST, port, STARTUP_TIMEOUT)) {
            shutdownQuietly(candidate);
            throw new IllegalStateException("embedded AMQP broker did not start on " + FreePorts.HOST + ":" + port
                    + " (work dir " + workDir + ")", startupError.get());
        }
        removeBrokerShutdownHook(systemConfig.get());
        launcher = candidate;
        runningSystemConfig = systemConfig.get();
        log.debug("Qpid broker up on port {} in {} ms", port, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Qpid's broker registers a JVM shutdown hook that closes it, and offers no setting against it. The JVM runs hooks
     * in parallel, so at exit the broker would close under services still finishing their work (publisher confirms
     * lost, listener containers failing to reconnect). {@link Infrastructure}'s hook stops the broker after them, so
     * Qpid's own hook is taken out again; if Qpid's internals ever change, it stays (noisier exit, nothing lost).
     */
    private static void removeBrokerShutdownHook(SystemConfig<?> systemConfig) {
        Object broker = (systemConfig == null) ? null : systemConfig.getContainer();
        if (broker == null) {
            return;
        }
        try {
            for (Class<?> type = broker.getClass(); type != null; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (field.getName().equals("_shutdownHook") && field.getType() == Thread.class) {
                        field.setAccessible(true);
                        Runtime.getRuntime().removeShutdownHook((Thread) field.get(broker));
                        return;
                    }
                }
            }
            log.debug("Qpid broker {} has no _shutdownHook field; its shutdown hook stays", broker.getClass());
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("Qpid broker's shutdown hook stays", e);
        }
    }

    /**
     * The message store of the running broker's virtual host, so tests and {@code BrokerStoreCostBench} can tell which
     * store serves it; {@code null} when stopped or not yet resolved.
     */
    synchronized MessageStore messageStore() {
        Broker<?> broker = runningSystemConfig == null ? null : runningSystemConfig.getContainer(Broker.class);
        VirtualHostNode<?> node = broker == null ? null : broker.getChildByName(VirtualHostNode.class, VIRTUAL_HOST);
        VirtualHost<?> host = node == null ? null : node.getVirtualHost();
        return host == null ? null : host.getMessageStore();
    }

    /** Stops the broker; clients get "connection refused" until {@link #startBroker()}. A no-op if stopped. */
    synchronized void stopBroker() {
        if (launcher == null) {
            return;
        }
        SystemLauncher running = launcher;
        launcher = null;
        runningSystemConfig = null;
        running.shutdown();
    }

    /**
     * Without {@code initialSystemPropertiesLocation} Qpid opens {@code classpath:system.properties}. Its handler for
     * {@code classpath:} URLs is registered through {@code java.protocol.handler.pkgs}, which the JDK resolves with the
     * system class loader only: inside the executable jar Qpid's classes live in Spring Boot's nested-jar class
     * loader, so the URL is rejected ("unknown protocol: classpath") and the broker does not start. Qpid ships no
     * such resource anyway, so an empty file of our own (a plain {@code file:} URL) changes nothing else.
     */
    private static final String SYSTEM_PROPERTIES =
            "# dicomflow: no JVM system properties for the embedded Qpid broker (see QpidBroker)\n";

    private static String derbyLogWeSet;

    /**
     * Derby writes {@code derby.log} into the current directory (Qpid's redirection to its logger is not honoured by
     * Derby 10.16). Point it into the work directory, unless the host application chose a place itself. Derby opens
     * the file when its engine first boots in this JVM, so later brokers in the same JVM keep the first file.
     */
    private void redirectDerbyLog() {
        synchronized (QpidBroker.class) {
            String current = System.getProperty("derby.stream.error.file");
            if (current == null || current.equals(derbyLogWeSet)) {
                derbyLogWeSet = workDir.resolve("derby.log").toString();
                System.setProperty("derby.stream.error.file", derbyLogWeSet);
            }
        }
    }

    private Map<String, Object> systemConfig() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("qpid.amqp_port", port);
        context.put("qpid.work_dir", workDir.toString());
        context.put("queue.behaviourOnUnknownDeclareArgument", "IGNORE");
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (durable) {
            attributes.put("type", "JSON");
            attributes.put("storePath", workDir.resolve("config.json").toString());
        } else {
            attributes.put("type", "Memory");
        }
        attributes.put("initialConfigurationLocation", initialConfig.toUri().toString());
        attributes.put("initialSystemPropertiesLocation", systemProperties.toUri().toString());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);
        return attributes;
    }

    /**
     * System property choosing the durable message store: {@code prepared} (default) for dicomflow's
     * {@link PreparedRemovalDerbyVirtualHost}, {@code qpid} for Qpid's own {@code DERBY} virtual host (the same files,
     * more CPU per message). A way back should the former ever misbehave, and the "before" of
     * {@code BrokerStoreCostBench}. An existing data directory is switched to the chosen type at start.
     */
    static final String DERBY_STORE_PROPERTY = "dicomflow.embedded.qpid-derby-store";

    static String durableVirtualHostType() {
        String choice = System.getProperty(DERBY_STORE_PROPERTY, "prepared");
        return switch (choice) {
            case "prepared" -> PreparedRemovalDerbyVirtualHost.TYPE;
            case "qpid" -> DerbyVirtualHostTypeMigration.QPID_DERBY_TYPE;
            default -> throw new IllegalArgumentException(DERBY_STORE_PROPERTY + " must be 'prepared' or 'qpid', not '"
                    + choice + "'");
        };
    }

    /** Types are literal (Qpid does not expand placeholders in "type") and case-sensitive. */
    private static String initialConfiguration(boolean durable) {
        String node = durable
                ? "{\"name\":\"" + VIRTUAL_HOST + "\",\"type\":\"JSON\",\"defaultVirtualHostNode\":\"true\","
                        + "\"virtualHostInitialConfiguration\":\"{\\\"type\\\":\\\"" + durableVirtualHostType() + "\\\","
                        + "\\\"housekeepingCheckPeriod\\\":200}\"}"
                : "{\"name\":\"" + VIRTUAL_HOST + "\",\"type\":\"Memory\",\"defaultVirtualHostNode\":\"true\","
                        + "\"virtualHostInitialConfiguration\":\"{\\\"type\\\":\\\"Memory\\\","
                        + "\\\"housekeepingCheckPeriod\\\":200}\"}";
        return """
                {
                  "name": "dicomflow",
                  "modelVersion": "9.1",
                  "authenticationproviders": [{
                    "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                    "users": [{"name": "%s", "password": "%s", "type": "managed"}]
                  }],
                  "ports": [{
                    "name": "AMQP", "port": "${qpid.amqp_port}", "bindingAddress": "%s",
                    "protocols": ["AMQP_0_9_1"], "authenticationProvider": "plain",
                    "virtualhostaliases": [
                      {"name": "nameAlias", "type": "nameAlias"},
                      {"name": "defaultAlias", "type": "defaultAlias"}
                    ]
                  }],
                  "virtualhostnodes": [%s]
                }
                """.formatted(USER, PASSWORD, FreePorts.HOST, node);
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.rabbitmq.host", FreePorts.HOST);
        p.put("spring.rabbitmq.port", port);
        p.put("spring.rabbitmq.username", USER);
        p.put("spring.rabbitmq.password", PASSWORD);
        p.put("spring.rabbitmq.virtual-host", VIRTUAL_HOST);
        p.put("dicomflow.amqp.broker", "qpid");
        return p;
    }

    @Override
    public String describe() {
        return "AMQP: embedded Apache Qpid Broker-J (AMQP 0-9-1) on " + FreePorts.HOST + ":" + port
                + ", virtual host " + VIRTUAL_HOST + (durable ? " (Derby store under " + workDir + ")" : " (in memory)");
    }

    @Override
    public void close() {
        try {
            stopBroker();
        } catch (RuntimeException e) {
            log.warn("Embedded AMQP broker did not stop cleanly", e);
        }
    }

    private static void shutdownQuietly(SystemLauncher launcher) {
        try {
            launcher.shutdown();
        } catch (RuntimeException e) {
            log.debug("shutdown after failed start", e);
        }
    }
}
