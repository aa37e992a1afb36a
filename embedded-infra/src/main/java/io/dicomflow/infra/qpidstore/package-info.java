/**
 * The embedded AMQP broker's durable message store: Qpid Broker-J's Derby store, with consumed messages deleted
 * through prepared statements and connections kept open between transactions (issue 10; figures in
 * docs/benchmarks.md, "Embedded broker store"). Plugged into Qpid through its own plugin mechanism
 * ({@code META-INF/services}) under Qpid's type name {@code DERBY}, so data directories are interchangeable with
 * Qpid's store in both directions.
 */
package io.dicomflow.infra.qpidstore;
