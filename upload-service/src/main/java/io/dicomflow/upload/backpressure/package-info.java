/**
 * Back-pressure: new uploads wait (503 + Retry-After) while the outbox backlog or the analysis queue is
 * above its configured limit, instead of piling up work the pipeline cannot absorb.
 */
package io.dicomflow.upload.backpressure;
