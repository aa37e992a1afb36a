package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.TransferSyntax;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Compressed frames: RLE decoded here; JPEG baseline/extended and JPEG 2000 through ImageIO readers
 * (TwelveMonkeys JPEG, jai-imageio JPEG 2000), read as rasters so colour is not converted.
 */
final class EncapsulatedFrameDecoder implements FrameDecoder {
    /**
     * Time one frame may take in a third-party codec before it is abandoned as corrupt: 5 s, or the
     * system property {@code dicomflow.codec.budget.ms}.
     */
    static long codecBudgetNanos() {
        return Long.getLong("dicomflow.codec.budget.ms", 5000L) * 1_000_000L;
    }

    private final ImagePixelModule m;
    private final TransferSyntax.Codec codec;
    private final EncapsulatedFragments fragments;
    /**
     * Decoded values one compressed byte may stand for, over the frames decoded so far, beyond
     * {@link #DECODED_VALUES_FLOOR}. RLE gives at most 64 (a 2-byte run of 128), JPEG baseline a few hundred,
     * JPEG 2000 more on flat images; a hostile file of empty RLE segments or tiny codestreams declaring
     * huge frames would otherwise cost seconds of decoding and a full-size frame buffer per few bytes.
     */
    static final long MAX_VALUES_PER_COMPRESSED_BYTE = 4096;

    /** The same for RLE: 128, twice what PackBits can reach (a 2-byte replicate run of 128 bytes). */
    static final long RLE_MAX_VALUES_PER_COMPRESSED_BYTE = 128;

    /**
     * Values any image may decode to whatever its compressed size (a 1024 x 1024 frame, 4 MiB of ints): a
     * few hundred bytes declaring a larger frame must be backed by compressed data before a frame buffer
     * and a decode of that size are spent on them.
     */
    static final long DECODED_VALUES_FLOOR = 1L << 20;

    private final StoredValues stored;
    /** Allocated once the first frame's compressed bytes are there and pass the ratio check. */
    private int[] values;
    private byte[] rlePlane;
    private long compressedBytes;
    private int nextFrame;

    EncapsulatedFrameDecoder(ImagePixelModule m, DicomHeader header, InputStream in)
            throws IOException, DicomParseException, UnsupportedPixelDataException {
        this.m = m;
        this.codec = header.transferSyntax().codec();
        if (m.floatPixels() || m.bitsAllocated() == 1 && codec != TransferSyntax.Codec.RLE) {
            throw new UnsupportedPixelDataException("unsupported encapsulated pixel layout");
        }
        if (m.bitsAllocated() == 1) {
            throw new UnsupportedPixelDataException("RLE with 1-bit pixels is not supported");
        }
        if (m.planar() && codec == TransferSyntax.Codec.RLE) {
            // RLE segments are per sample already; Planar Configuration does not change the decoding
        }
        this.fragments = new EncapsulatedFragments(in, header, m.frames());
        this.stored = new StoredValues(m);
    }

    static boolean supports(TransferSyntax.Codec codec) {
        return codec == TransferSyntax.Codec.RLE || codec == TransferSyntax.Codec.JPEG_BASELINE
                || codec == TransferSyntax.Codec.JPEG_EXTENDED || codec == TransferSyntax.Codec.JPEG_2000;
    }

    @Override
    public ImagePixelModule module() {
        return m;
    }

    @Override
    public Frame next() throws IOException, DicomParseException, UnsupportedPixelDataException {
        if (nextFrame >= m.frames()) {
            return null;
        }
        byte[] data = fragments.nextFrame(this::startsCodestream);
        if (data == null) {
            throw new UnsupportedPixelDataException("encapsulated pixel data holds " + nextFrame + " frames, "
                    + m.frames() + " declared");
        }
        compressedBytes += data.length;
        FrameBudget.check(nextFrame, compressedBytes);
        long decoded = (long) (nextFrame + 1) * m.valuesPerFrame();
        long ratio = codec == TransferSyntax.Codec.RLE ? RLE_MAX_VALUES_PER_COMPRESSED_BYTE
                : MAX_VALUES_PER_COMPRESSED_BYTE;
        if (decoded > DECODED_VALUES_FLOOR + ratio * compressedBytes) {
            throw new UnsupportedPixelDataException("frame " + nextFrame + ": " + (nextFrame + 1) + " frames of "
                    + m.valuesPerFrame() + " values from " + compressedBytes
                    + " compressed bytes is beyond any plausible compression ratio");
        }
        if (values == null) {
            values = new int[m.valuesPerFrame()];
        }
        if (codec == TransferSyntax.Codec.RLE) {
            if (rlePlane == null) {
                rlePlane = new byte[m.rows() * m.columns()];
            }
            String problem = RleFrameCodec.decode(data, m, values, rlePlane);
            if (problem != null) {
                throw new UnsupportedPixelDataException("frame " + nextFrame + ": " + problem);
            }
        } else {
            try {
                CodecWatchdog.call("frame " + nextFrame + " decoding", codecBudgetNanos(), () -> {
                    decodeWithImageIo(data);
                    return null;
                });
            } catch (UnsupportedPixelDataException | IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new UnsupportedPixelDataException("frame " + nextFrame + ": " + e.getMessage(), e);
            }
        }
        stored.applyAll(values, m.valuesPerFrame());
        boolean unsigned32 = !m.signed() && m.bitsStored() == 32;
        return new Frame(nextFrame++, values, null, m.valuesPerFrame(), unsigned32);
    }

    /** Whether a fragment starts a new codestream (used when there is no offset table). */
    private boolean startsCodestream(byte[] f) {
        if (codec == TransferSyntax.Codec.RLE) {
            return true;
        }
        if (f.length < 2 || (f[0] & 0xFF) != 0xFF) {
            return f.length >= 12 && f[4] == 'j' && f[5] == 'P'; // JP2 signature box
        }
        int marker = f[1] & 0xFF;
        return marker == 0xD8 || marker == 0x4F; // JPEG SOI, JPEG 2000 SOC
    }

    private void decodeWithImageIo(byte[] data) throws IOException, UnsupportedPixelDataException {
        String format = codec == TransferSyntax.Codec.JPEG_2000 ? "jpeg2000" : "jpeg";
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new UnsupportedPixelDataException("no ImageIO reader for " + format);
        }
        ImageReader reader = preferred(readers);
        try (ImageInputStream iis = new GuardedImageInputStream(data, codecBudgetNanos())) {
            reader.setInput(iis, true, true);
            // check the codestream's own size first: a corrupt header must not make the codec allocate
            // or decode an image far larger than the one the DICOM header describes
            if (reader.getWidth(0) != m.columns() || reader.getHeight(0) != m.rows()) {
                throw new UnsupportedPixelDataException("codestream is " + reader.getWidth(0) + "x"
                        + reader.getHeight(0) + ", the header says " + m.columns() + "x" + m.rows());
            }
            Raster raster;
            try {
                raster = reader.readRaster(0, null);
            } catch (UnsupportedOperationException e) {
                raster = reader.read(0).getRaster();
            }
            if (raster.getWidth() != m.columns() || raster.getHeight() != m.rows()
                    || raster.getNumBands() != m.samplesPerPixel()) {
                throw new UnsupportedPixelDataException("codestream is " + raster.getWidth() + "x"
                        + raster.getHeight() + "x" + raster.getNumBands() + ", the header says " + m.columns() + "x"
                        + m.rows() + "x" + m.samplesPerPixel());
            }
            raster.getPixels(raster.getMinX(), raster.getMinY(), m.columns(), m.rows(), values);
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedPixelDataException("frame " + nextFrame + " could not be decoded by "
                    + reader.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** TwelveMonkeys' JPEG reader handles 12-bit and CMYK/YCCK where the JDK's does not. */
    private static ImageReader preferred(Iterator<ImageReader> readers) {
        ImageReader first = readers.next();
        if (first.getClass().getName().startsWith("com.twelvemonkeys")) {
            return first;
        }
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith("com.twelvemonkeys")) {
                first.dispose();
                return r;
            }
            r.dispose();
        }
        return first;
    }
}
