package io.dicomflow.common.dicom;

/**
 * Where the top-level pixel data element starts; the reader stops in front of its value.
 *
 * @param tag          (7FE0,0010) Pixel Data, (7FE0,0008) Float or (7FE0,0009) Double Float Pixel Data
 * @param vr           OB or OW (or OF/OD); for implicit VR the dictionary's OW
 * @param valueOffset  offset of the first value byte (in the inflated stream for deflated syntaxes)
 * @param length       value length, or -1 (undefined) for encapsulated fragments
 */
public record PixelDataInfo(int tag, VR vr, long valueOffset, long length) {
    public boolean encapsulated() {
        return length == DicomElement.UNDEFINED_LENGTH;
    }
}
