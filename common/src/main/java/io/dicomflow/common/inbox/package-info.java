/**
 * Consumer-side idempotency: a consumer records the id of every event it has acted on, in the same
 * transaction as its effect, so a redelivered message is recognised and acknowledged without acting twice.
 */
package io.dicomflow.common.inbox;
