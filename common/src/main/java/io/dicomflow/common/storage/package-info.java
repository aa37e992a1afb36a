/**
 * The S3 object store holding uploaded DICOM files, reached through the AWS SDK for Java v2 (any S3: AWS,
 * MinIO, Ceph, or the embedded S3Proxy of standalone mode).
 */
package io.dicomflow.common.storage;
