/**
 * Pushing analysis events to the uploader's open browser tabs and clients: STOMP over WebSocket at
 * {@code /ws}, credentials at CONNECT, events on {@code /user/queue/analyses}. Every instance of the service
 * has its own queue bound to the events exchange, so a user connected to any instance gets every event.
 */
package io.dicomflow.notification.push;
