package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.Tags;

/**
 * The Image Pixel Module attributes (PS3.3 C.7.6.3) that say how pixel data is laid out, checked for
 * consistency so decoders can trust them.
 *
 * @param rows                 (0028,0010)
 * @param columns              (0028,0011)
 * @param samplesPerPixel      (0028,0002), 1 or 3 (or 4 for retired ARGB/CMYK)
 * @param bitsAllocated        (0028,0100): 1, 8, 16, 32 or 64 (float)
 * @param bitsStored           (0028,0101)
 * @param highBit              (0028,0102)
 * @param signed               PixelRepresentation (0028,0103) is 1
 * @param planar               PlanarConfiguration (0028,0006) is 1: colour planes one after the other
 * @param frames               NumberOfFrames (0028,0008), 1 when absent
 * @param photometric          (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL_422, PALETTE COLOR
 * @param floatPixels          the values are IEEE floats (Float or Double Float Pixel Data)
 */
public record ImagePixelModule(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored,
                               int highBit, boolean signed, boolean planar, int frames, String photometric,
                               boolean floatPixels) {
    /** Most values one frame may hold (2^26: e.g. 8192 x 8192, or 4096 x 4096 RGB), 256 MiB decoded. */
    public static final long MAX_VALUES_PER_FRAME = 1L << 26;

    /**
     * Most frames an image may declare (2^20). NumberOfFrames is IS text up to 2^31 - 1; real multi-frame
     * images, whole-slide tiles included, stay far below, and per-frame results grow with the frame count.
     */
    public static final int MAX_FRAMES = 1 << 20;

    /** Most values all frames together may hold (2^32, e.g. 4 GiB of 8-bit samples): bounds decoding time. */
    public static final long MAX_TOTAL_VALUES = 1L << 32;

    /** Reads and validates the module; the reason names the offending attribute. */
    public static ImagePixelModule of(DicomHeader header) throws UnsupportedPixelDataException {
        PixelDataInfo pixel = header.pixelData()
                .orElseThrow(() -> new UnsupportedPixelDataException("the file has no pixel data"));
        int rows = required(header, "Rows");
        int columns = required(header, "Columns");
        int samples = header.integer("SamplesPerPixel").orElse(1);
        boolean floats = pixel.tag() != Tags.PIXEL_DATA;
        int bitsAllocated = floats ? (pixel.tag() == Tags.FLOAT_PIXEL_DATA ? 32 : 64) : required(header, "BitsAllocated");
        int bitsStored = floats ? bitsAllocated : header.integer("BitsStored").orElse(bitsAllocated);
        int highBit = header.integer("HighBit").orElse(bitsStored - 1);
        int pixelRepresentation = header.integer("PixelRepresentation").orElse(0);
        int planarConfiguration = header.integer("PlanarConfiguration").orElse(0);
        int frames = header.integer("NumberOfFrames").orElse(1);
        double declaredFrames = header.decimal("NumberOfFrames").orElse(1);
        if (declaredFrames > MAX_FRAMES) {
            // also a count beyond the int range, which integer() does not give
            throw new UnsupportedPixelDataException("NumberOfFrames " + header.string("NumberOfFrames").orElse("")
                    + " exceeds the maximum of " + MAX_FRAMES);
        }
        String photometric = header.string("PhotometricInterpretation").orElse("").strip();
        if (rows <= 0 || columns <= 0) {
            throw new UnsupportedPixelDataException("Rows/Columns must be positive, got " + rows + "x" + columns);
        }
        if (samples != 1 && samples != 3 && samples != 4) {
            throw new UnsupportedPixelDataException("unsupported Samples per Pixel " + samples);
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32
                && !(floats && bitsAllocated == 64)) {
            throw new UnsupportedPixelDataException("unsupported Bits Allocated " + bitsAllocated);
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new UnsupportedPixelDataException("Bits Stored " + bitsStored + " outside 1.." + bitsAllocated);
        }
        if (frames < 1) {
            frames = 1; // "0" or garbage: PS3.3 says at least one frame when pixel data is present
        }
        if ((long) rows * columns * samples > MAX_VALUES_PER_FRAME) {
            // a frame is decoded into one int[]; forged Rows/Columns must not become a huge allocation
            throw new UnsupportedPixelDataException("frame too large: " + rows + "x" + columns + "x" + samples);
        }
        if ((long) rows * columns * samples * frames > MAX_TOTAL_VALUES) {
            throw new UnsupportedPixelDataException("image too large: " + frames + " frames of " + rows + "x" + columns
                    + "x" + samples + " exceed " + MAX_TOTAL_VALUES + " values");
        }
        return new ImagePixelModule(rows, columns, samples, bitsAllocated, bitsStored, highBit,
                pixelRepresentation == 1, planarConfiguration == 1, frames, photometric, floats);
    }

    private static int required(DicomHeader header, String keyword) throws UnsupportedPixelDataException {
        return header.integer(keyword).orElseThrow(
                () -> new UnsupportedPixelDataException("missing or invalid " + keyword));
    }

    /** Values (samples) in one frame. */
    public int valuesPerFrame() {
        return rows * columns * samplesPerPixel;
    }

    /** Bytes of one native frame (frames of 1-bit data are packed without padding, see {@link #nativeBits()}). */
    public long nativeFrameBytes() {
        return (long) valuesPerFrame() * bitsAllocated / 8;
    }

    /** Bits of all native frames together. */
    public long nativeBits() {
        return (long) valuesPerFrame() * frames * bitsAllocated;
    }

    public boolean isColour() {
        return samplesPerPixel > 1;
    }
}
