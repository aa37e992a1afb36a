package io.dicomflow.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ already running (default {@code 127.0.0.1:5672}, guest/guest). Each run gets its own virtual host
 * {@code dicomflow_<random>}, so consecutive or parallel test contexts never consume each other's messages. The
 * management plugin is not assumed: the vhost is made with {@code rabbitmqctl} (same machine, enough rights), and
 * deleted on close. Without a working {@code rabbitmqctl} the default vhost {@code /} is used, with a warning.
 *
 * <p>Overrides: {@code dicomflow.local.rabbit.host}, {@code .port}, {@code .user}, {@code .password} and
 * {@code dicomflow.local.rabbitmqctl} (or {@code DICOMFLOW_LOCAL_RABBIT_HOST}, ... {@code DICOMFLOW_LOCAL_RABBITMQCTL}).
 */
final class LocalRabbit implements Component {

    private static final Logger log = LoggerFactory.getLogger(LocalRabbit.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String rabbitmqctl;
    private final String virtualHost;
    private final boolean ownVirtualHost;

    private LocalRabbit(String host, int port, String user, String password, String rabbitmqctl, String virtualHost,
            boolean ownVirtualHost) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.rabbitmqctl = rabbitmqctl;
        this.virtualHost = virtualHost;
        this.ownVirtualHost = ownVirtualHost;
    }

    static LocalRabbit start() {
        String host = LocalSettings.get("rabbit.host", FreePorts.HOST);
        int port = Integer.parseInt(LocalSettings.get("rabbit.port", "5672"));
        String user = LocalSettings.get("rabbit.user", "guest");
        String password = LocalSettings.get("rabbit.password", "guest");
        String ctl = LocalSettings.get("rabbitmqctl", "rabbitmqctl");
        if (!FreePorts.isListening(host, port, Duration.ofSeconds(2))) {
            throw new IllegalStateException("no RabbitMQ answers on " + host + ":" + port + " (LOCAL mode)");
        }
        String vhost = "dicomflow_" + LocalSettings.randomSuffix();
        try {
            run(ctl, "add_vhost", vhost);
            try {
                run(ctl, "set_permissions", "-p", vhost, user, ".*", ".*", ".*");
            } catch (IOException e) {
                deleteQuietly(ctl, vhost);
                throw e;
            }
            return new LocalRabbit(host, port, user, password, ctl, vhost, true);
        } catch (IOException e) {
            log.warn("Could not create a RabbitMQ virtual host with '{}' ({}); using the default virtual host '/', "
                    + "which other test runs may share", ctl, e.getMessage());
            return new LocalRabbit(host, port, user, password, ctl, "/", false);
        }
    }

    String virtualHost() {
        return virtualHost;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.rabbitmq.host", host);
        p.put("spring.rabbitmq.port", port);
        p.put("spring.rabbitmq.username", user);
        p.put("spring.rabbitmq.password", password);
        p.put("spring.rabbitmq.virtual-host", virtualHost);
        p.put("dicomflow.amqp.broker", "rabbitmq");
        return p;
    }

    @Override
    public String describe() {
        return "AMQP: local RabbitMQ on " + host + ":" + port + ", virtual host " + virtualHost
                + (ownVirtualHost ? " (created for this run)" : " (shared default)");
    }

    @Override
    public void close() {
        if (ownVirtualHost) {
            deleteQuietly(rabbitmqctl, virtualHost);
        }
    }

    private static void deleteQuietly(String ctl, String vhost) {
        try {
            run(ctl, "delete_vhost", vhost);
        } catch (IOException e) {
            log.warn("Could not delete RabbitMQ virtual host {}: {}", vhost, e.getMessage());
        }
    }

    /** Runs rabbitmqctl; IOException when it is missing, fails or hangs. */
    private static void run(String ctl, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ctl);
        command.add("-q");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
