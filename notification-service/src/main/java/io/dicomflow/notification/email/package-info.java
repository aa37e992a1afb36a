/**
 * Email notifications: one competing-consumer queue shared by all instances, so exactly one instance handles
 * each event, and a send log keyed by the event so that a redelivery never sends a second email.
 */
package io.dicomflow.notification.email;
