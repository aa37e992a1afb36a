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
        int w = m.columns();
        int h = m.rows();
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        boolean colour = m.samplesPerPixel() >= 3;
        int channels = colour ? 3 : 1;
        byte[] out = new byte[tw * th * channels];
        int s = m.samplesPerPixel();
        double[] sum = new double[Math.min(s, 3)];
        double[] window = colour ? null : window(frame, m, header, slope, intercept);
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

    /** {lower, upper} of the value range shown from black to white. */
    private static double[] window(Frame frame, ImagePixelModule m, DicomHeader header, double slope,
                                   double intercept) {
        OptionalDouble center = header.decimal("WindowCenter");
        OptionalDouble width = header.decimal("WindowWidth");
        if (center.isPresent() && width.isPresent() && width.getAsDouble() >= 1) {
            double c = center.getAsDouble();
            double wd = width.getAsDouble();
            return new double[] {c - 0.5 - (wd - 1) / 2, c - 0.5 + (wd - 1) / 2};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
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
