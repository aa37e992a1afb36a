/**
 * Moves stored files along their state machine from what the rest of the pipeline reports: the outbox relay's
 * confirm ({@code QUEUED}) and the analysis outcomes ({@code DONE}, {@code FAILED}) and the
 * notifier's {@code FilesNotified} ({@code NOTIFIED}).
 */
package io.dicomflow.upload.status;
