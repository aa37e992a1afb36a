package io.dicomflow.common.analysis;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.ImagePixelModule;
import java.util.OptionalDouble;

/**
 * Renders a frame as an 8-bit thumbnail. Monochrome: modality values (rescale applied) mapped through the
 * file's first Window Center/Width (PS3.3 C.11.2.1.2, linear function), or the frame's min..max when it has
 * none; MONOCHROME1 inverted. Colour: RGB as is, YBR_FULL* converted to RGB (PS3.3 C.7.6.3.1.2), samples
 * wider than 8 bits scaled down. Palette indices are shown as grey (the LUT is not applied).
 * Downscaling averages the source pixels of each thumbnail pixel (box filter).
 */
final class ThumbnailRenderer {
    static final int MAX_SIDE = 256;

    private ThumbnailRenderer() {
    }

    static Thumbnail render(Frame frame, ImagePixelModule m, DicomHeader header, double slope, double intercept) {
        return render(frame, m, header, slope, intercept, true);
    }

    /** @param integerPath false: the general loop for every kind of frame (ThumbnailTest compares the two) */
    static Thumbnail render(Frame frame, ImagePixelModule m, DicomHeader header, double slope, double intercept,
                            boolean integerPath) {
        int w = m.columns();
        int h = m.rows();
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        boolean colour = m.samplesPerPixel() >= 3;
        int channels = colour ? 3 : 1;
        if (integerPath && !colour && !frame.isFloat() && !frame.unsigned32()) {
            byte[] grey = greyFromInts(frame, m, header, slope, intercept, tw, th);
            return new Thumbnail(tw, th, PngEncoder.encode(tw, th, 1, grey));
        }
        byte[] out = new byte[tw * th * channels];
        int s = m.samplesPerPixel();
        double[] sum = new double[Math.min(s, 3)];
        double[] window = colour ? null : window(frame, header, slope, intercept, integerPath);
        boolean invert = m.photometric().equals("MONOCHROME1");
        boolean ybr = m.photometric().startsWith("YBR_FULL");
        double colourScale = m.bitsStored() > 8 ? 255.0 / ((1L << Math.min(m.bitsStored(), 31)) - 1) : 1.0;
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++) {
                int x0 = (int) ((long) tx * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * w / tw));
                java.util.Arrays.fill(sum, 0);
                int n = 0;
                for (int y = y0; y < y1; y++) {
                    for (int x = x0; x < x1; x++) {
                        int base = (y * w + x) * s;
                        for (int c = 0; c < sum.length; c++) {
                            sum[c] += frame.value(base + c);
                        }
                        n++;
                    }
                }
                if (colour) {
                    double a = sum[0] / n * colourScale;
                    double b = sum[1] / n * colourScale;
                    double c = sum[2] / n * colourScale;
                    if (ybr) {
                        double r = a + 1.402 * (c - 128);
                        double g = a - 0.344136 * (b - 128) - 0.714136 * (c - 128);
                        double bl = a + 1.772 * (b - 128);
                        a = r;
                        b = g;
                        c = bl;
                    }
                    int at = (ty * tw + tx) * 3;
                    out[at] = (byte) clamp(a);
                    out[at + 1] = (byte) clamp(b);
                    out[at + 2] = (byte) clamp(c);
                } else {
                    double v = sum[0] / n * slope + intercept;
                    double level = (v - window[0]) / (window[1] - window[0]) * 255.0;
                    int grey = clamp(level);
                    out[ty * tw + tx] = (byte) (invert ? 255 - grey : grey);
                }
            }
        }
        return new Thumbnail(tw, th, PngEncoder.encode(tw, th, channels, out));
    }

    /**
     * The monochrome path for integer samples (all but float and unsigned 32-bit data): the same box filter and
     * window as the general loop, with the box summed in a long over the int array (exact, as the double sum
     * of the general loop is for these values) and no per-sample type test, per-channel array or fill; the
     * pixels are identical (ThumbnailTest compares the two). Half the analysis thread's time of a 512x512 CT
     * slice went to the general loop (docs/benchmarks.md).
     */
    private static byte[] greyFromInts(Frame frame, ImagePixelModule m, DicomHeader header, double slope,
                                       double intercept, int tw, int th) {
        int w = m.columns();
        int h = m.rows();
        int s = m.samplesPerPixel();
        int[] v = frame.ints();
        double[] window = window(frame, header, slope, intercept, true);
        boolean invert = m.photometric().equals("MONOCHROME1");
        byte[] out = new byte[tw * th];
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++) {
                int x0 = (int) ((long) tx * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * w / tw));
                long sum = 0;
                for (int y = y0; y < y1; y++) {
                    int row = y * w;
                    for (int x = x0; x < x1; x++) {
                        sum += v[(row + x) * s];
                    }
                }
                int n = (y1 - y0) * (x1 - x0);
                double value = (double) sum / n * slope + intercept;
                int grey = clamp((value - window[0]) / (window[1] - window[0]) * 255.0);
                out[ty * tw + tx] = (byte) (invert ? 255 - grey : grey);
            }
        }
        return out;
    }

    /** {lower, upper} of the value range shown from black to white. */
    private static double[] window(Frame frame, DicomHeader header, double slope, double intercept,
                                   boolean integerPath) {
        OptionalDouble center = header.decimal("WindowCenter");
        OptionalDouble width = header.decimal("WindowWidth");
        if (center.isPresent() && width.isPresent() && width.getAsDouble() >= 1) {
            double c = center.getAsDouble();
            double wd = width.getAsDouble();
            return new double[] {c - 0.5 - (wd - 1) / 2, c - 0.5 + (wd - 1) / 2};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (integerPath && !frame.isFloat() && !frame.unsigned32() && frame.count() > 0) {
            // v * slope + intercept is monotonic in v (rounding too), so the extremes of the modality values are
            // those of the stored ints' extremes: one int pass instead of a double multiply-add per sample
            int[] ints = frame.ints();
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int i = 0; i < frame.count(); i++) {
                min = Math.min(min, ints[i]);
                max = Math.max(max, ints[i]);
            }
            double a = min * slope + intercept;
            double b = max * slope + intercept;
            lo = Math.min(a, b);
            hi = Math.max(a, b);
            return hi > lo ? new double[] {lo, hi} : new double[] {lo - 1, lo + 1};
        }
        for (int i = 0; i < frame.count(); i++) {
            double v = frame.value(i) * slope + intercept;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return hi > lo ? new double[] {lo, hi} : new double[] {lo - 1, lo + 1};
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
