/**
 * Reads from PostgreSQL streaming replicas: writes and read-write transactions use the primary, read-only
 * transactions a replica when one is configured, unless the replica has not yet replayed the caller's last
 * write (read-your-writes) or is unreachable; then the primary answers. See docs/results-api.md.
 */
package io.dicomflow.upload.replica;
