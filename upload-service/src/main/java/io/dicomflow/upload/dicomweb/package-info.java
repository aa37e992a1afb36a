/**
 * DICOMweb (PS3.18): STOW-RS into the same ingest as the REST upload, QIDO-RS over an index filled when an
 * instance is stored, WADO-RS streamed from S3. A caller sees only own instances (admins all); another owner's
 * instance is absent from queries and answers 404. The conformance statement is docs/dicomweb.md.
 */
package io.dicomflow.upload.dicomweb;
