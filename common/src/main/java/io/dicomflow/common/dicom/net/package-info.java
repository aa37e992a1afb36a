/**
 * The DICOM Upper Layer protocol (PS3.8) and DIMSE command sets (PS3.7), as far as a Storage SCP needs them:
 * reading and writing PDUs, decoding an A-ASSOCIATE-RQ and negotiating its presentation contexts, splitting
 * P-DATA-TF PDUs into PDVs, and encoding command sets in Implicit VR Little Endian. Written from the standard;
 * no Spring, no sockets (the service wires those). Every length read from the wire is bounded by the bytes the
 * enclosing structure holds, and the PDU length by a cap the caller gives.
 */
package io.dicomflow.common.dicom.net;
