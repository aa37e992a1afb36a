/**
 * Transactional outbox: events are written in the same database transaction as the state change they
 * announce, and a relay publishes them to RabbitMQ with publisher confirms. A row is marked published only
 * after the broker confirmed the message and did not return it as unroutable; anything else leaves it
 * pending for another try. See docs/decisions/0001-own-outbox-relay.md for why this is not Spring Modulith's
 * 2.0.x externalizer.
 */
package io.dicomflow.common.outbox;
