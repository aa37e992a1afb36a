/**
 * Event contracts exchanged between the services over RabbitMQ.
 *
 * <p>Every message is an {@link io.dicomflow.common.events.EventEnvelope} serialised as JSON. The envelope
 * carries the fields every consumer relies on ({@code eventId} for idempotency, {@code correlationId} = the
 * upload id, the W3C {@code traceparent}, the owner) and a typed, versioned payload. Payloads never carry
 * patient data: only UIDs, hashes and figures.
 */
package io.dicomflow.common.events;
