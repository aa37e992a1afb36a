package io.dicomflow.common.dicom;

import java.util.List;

/**
 * One parsed data element. Exactly one of these holds the value: {@code value} (the raw bytes, in the
 * byte order of the dataset), {@code items} (a sequence), or neither when the value was too large to
 * keep and is only referenced by {@code valueOffset}/{@code length} ("bulk data").
 *
 * <p>The value array is shared, not copied, for speed; callers must not modify it.
 *
 * @param tag         group &lt;&lt; 16 | element
 * @param vr          the VR read from the file (explicit VR) or taken from the dictionary (implicit VR)
 * @param valueOffset byte offset of the first value byte in the file or stream
 * @param length      value length as encoded; -1 for undefined length
 * @param value       raw value bytes, or null for sequences and bulk data
 * @param items       sequence items, or an empty list
 */
public record DicomElement(int tag, VR vr, long valueOffset, long length, byte[] value, List<DicomDataset> items) {
    public static final long UNDEFINED_LENGTH = -1;

    public boolean isSequence() {
        return vr == VR.SQ || (value == null && !items.isEmpty());
    }

    /** True when the value was skipped because it exceeded the inline limit. */
    public boolean isBulk() {
        return value == null && vr != VR.SQ && items.isEmpty() && length != 0;
    }

    @Override
    public String toString() {
        return Tags.format(tag) + " " + vr + " #" + length;
    }
}
