/** Telling the upload service which files' outcomes reached their owner, so their state ends in NOTIFIED. */
package io.dicomflow.notification.notified;
