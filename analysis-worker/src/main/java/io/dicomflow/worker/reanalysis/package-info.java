/**
 * Admin re-analysis: after the analysis rules changed (a new {@code dicomflow.worker.analyzer-version}), an
 * admin asks for a stored result to be computed again; the new figures become the result's next version and the
 * old version stays (the Results API lists the newest unless asked for all).
 */
package io.dicomflow.worker.reanalysis;
