/**
 * The AMQP topology: every exchange, queue and routing key of dicomflow, declared in one place, with the
 * broker-specific queue arguments of RabbitMQ and of the embedded Qpid Broker-J kept side by side
 * (see docs/decisions/0002-two-broker-flavours.md).
 */
package io.dicomflow.common.messaging;
