package io.dicomflow.common.dicom.pixel;

import java.awt.image.Raster;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Frames decoded by an ImageIO reader (TwelveMonkeys JPEG for 8-bit DCT, jai-imageio for JPEG 2000),
 * read as rasters so colour is not converted. Third-party code: each frame runs under the
 * {@link CodecWatchdog} with the codec budget, and the codestream's size is checked before decoding.
 */
final class ImageIoFrameCodec implements FrameCodec {
    private final String format;

    ImageIoFrameCodec(String format) {
        this.format = format;
    }

    @Override
    public void decode(byte[] frame, ImagePixelModule m, int[] out) throws UnsupportedPixelDataException {
        try {
            CodecWatchdog.call("frame decoding", EncapsulatedFrameDecoder.codecBudgetNanos(), () -> {
                decodeNow(frame, m, out);
                return null;
            });
        } catch (UnsupportedPixelDataException e) {
            throw e;
        } catch (Exception e) {
            throw new UnsupportedPixelDataException("frame could not be decoded: " + e, e);
        }
    }

    private void decodeNow(byte[] data, ImagePixelModule m, int[] values) throws UnsupportedPixelDataException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new UnsupportedPixelDataException("no ImageIO reader for " + format);
        }
        ImageReader reader = preferred(readers);
        try (ImageInputStream iis = new GuardedImageInputStream(data, EncapsulatedFrameDecoder.codecBudgetNanos())) {
            reader.setInput(iis, true, true);
            // check the codestream's own size first: a corrupt header must not make the codec allocate
            // or decode an image larger than the one the DICOM header describes. A smaller one is
            // accepted: whole-slide edge tiles are sometimes encoded at their real size (DCMTK decodes
            // them the same way), and are placed top-left with the rest of the frame zero.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width > m.columns() || height > m.rows() || width < 1 || height < 1) {
                throw new UnsupportedPixelDataException("codestream is " + width + "x" + height
                        + ", the header says " + m.columns() + "x" + m.rows());
            }
            Raster raster;
            try {
                raster = reader.readRaster(0, null);
            } catch (UnsupportedOperationException e) {
                raster = reader.read(0).getRaster();
            }
            if (raster.getWidth() != width || raster.getHeight() != height
                    || raster.getNumBands() != m.samplesPerPixel()) {
                throw new UnsupportedPixelDataException("codestream is " + raster.getWidth() + "x"
                        + raster.getHeight() + "x" + raster.getNumBands() + ", the header says " + m.columns() + "x"
                        + m.rows() + "x" + m.samplesPerPixel());
            }
            if (width == m.columns() && height == m.rows()) {
                raster.getPixels(raster.getMinX(), raster.getMinY(), width, height, values);
            } else {
                int s = m.samplesPerPixel();
                int[] row = new int[width * s];
                java.util.Arrays.fill(values, 0, m.valuesPerFrame(), 0);
                for (int y = 0; y < height; y++) {
                    raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
                    System.arraycopy(row, 0, values, y * m.columns() * s, row.length);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UnsupportedPixelDataException("could not be decoded by "
                    + reader.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    /** TwelveMonkeys' JPEG reader handles CMYK/YCCK and odd APP segments where the JDK's does not. */
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
