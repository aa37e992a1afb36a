/**
 * Email notifications: one competing-consumer queue shared by all instances, so exactly one instance handles
 * each event; an explicit upload session gets its own summary, any other upload joins its owner's digest (one
 * email per user per window, state in PostgreSQL), and a send log with unique keys keeps a redelivery or a
 * second instance from sending either twice.
 */
package io.dicomflow.notification.email;
