/**
 * Consuming analysis requests: fetch the stored image, analyse it with {@code common}'s image analyser and
 * hand the outcome to {@link io.dicomflow.worker.results}.
 */
package io.dicomflow.worker.analysis;
