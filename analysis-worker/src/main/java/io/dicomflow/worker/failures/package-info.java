/**
 * Analysis requests that failed: delayed retries through the delay queues, the parking queue
 * {@code analysis.requests.dlq}, and the operators' endpoint that lists and re-queues parked requests.
 */
package io.dicomflow.worker.failures;
