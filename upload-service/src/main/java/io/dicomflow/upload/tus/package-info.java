/**
 * tus 1.0 resumable uploads (core, creation, termination, checksum): a file is created with its length,
 * its bytes are appended by PATCH requests from the offset the server reports, and once complete it goes
 * through the same ingest as every other route. An interrupted PATCH keeps the bytes that arrived.
 */
package io.dicomflow.upload.tus;
