/**
 * Each user's event feed with a gap-free sequence, written from the durable {@code notifications.feed} queue
 * and read by reconnecting clients ({@code GET /api/events?after=}, {@code lastSeq} on STOMP SUBSCRIBE).
 */
package io.dicomflow.notification.feed;
