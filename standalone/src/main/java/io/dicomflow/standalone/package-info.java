/**
 * dicomflow in one JVM: embedded infrastructure plus the three services, each in its own Spring application
 * context exactly as it runs in production, only sharing the process.
 */
package io.dicomflow.standalone;
