/**
 * Changing one attribute of a DICOM file in a copy: the bytes of the original are copied as they are, and
 * only the one element is replaced or inserted, so nothing else in the file (pixel data, private tags,
 * sequences, padding) is re-encoded.
 */
package io.dicomflow.common.dicom.edit;
