package io.dicomflow.common.analysis;

import io.dicomflow.common.dicom.DicomDataset;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.dictionary.DataDictionary;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Rescale Slope/Intercept (0028,1053)/(0028,1052) of each frame: from the top level, else from the
 * Pixel Value Transformation Sequence of the shared functional groups, else of each frame's per-frame
 * functional groups (enhanced multi-frame, PS3.3 C.7.6.16.2.9).
 *
 * <p>Only as many values as the header holds are kept: frames past the last per-frame item (or all frames,
 * for a top-level or shared rescale) use the last one. NumberOfFrames is a header field, so nothing here
 * is sized or looped by it (a forged 2^31 frames must not become two 16 GiB arrays).
 *
 * @param slopes     slope per frame, the last one standing for every later frame
 * @param intercepts intercept per frame, likewise
 */
record Rescale(double[] slopes, double[] intercepts) {
    private static final DataDictionary DICT = DataDictionary.standard();
    private static final int SLOPE = DICT.tagOf("RescaleSlope");
    private static final int INTERCEPT = DICT.tagOf("RescaleIntercept");
    private static final int TRANSFORMATION = DICT.tagOf("PixelValueTransformationSequence");
    private static final int SHARED = DICT.tagOf("SharedFunctionalGroupsSequence");
    private static final int PER_FRAME = DICT.tagOf("PerFrameFunctionalGroupsSequence");

    /** The rescale of each of {@code frames} frames, or null when the image has none. */
    static Rescale of(DicomHeader header, int frames) {
        DicomDataset top = header.dataset();
        double[] s = new double[1];
        double[] b = new double[1];
        if (fill(top, s, b, 0, 1)) {
            return new Rescale(s, b);
        }
        DicomDataset shared = transformation(top.items(SHARED), 0);
        if (shared != null && fill(shared, s, b, 0, 1)) {
            return new Rescale(s, b);
        }
        List<DicomDataset> perFrame = top.items(PER_FRAME);
        if (perFrame.isEmpty()) {
            return null;
        }
        // frames past the last item reuse it, so the items (bounded by the header's size) are all there is to read
        int kept = Math.max(1, Math.min(frames, perFrame.size()));
        s = new double[kept];
        b = new double[kept];
        for (int f = 0; f < kept; f++) {
            DicomDataset t = transformation(perFrame, Math.min(f, perFrame.size() - 1));
            if (t == null || !fill(t, s, b, f, f + 1)) {
                return null;
            }
        }
        return new Rescale(s, b);
    }

    double slope(int frame) {
        return slopes[Math.min(frame, slopes.length - 1)];
    }

    double intercept(int frame) {
        return intercepts[Math.min(frame, intercepts.length - 1)];
    }

    private static DicomDataset transformation(List<DicomDataset> groups, int index) {
        if (groups.size() <= index) {
            return null;
        }
        List<DicomDataset> t = groups.get(index).items(TRANSFORMATION);
        return t.isEmpty() ? null : t.get(0);
    }

    private static boolean fill(DicomDataset ds, double[] s, double[] b, int from, int to) {
        OptionalDouble slope = ds.decimal(SLOPE);
        OptionalDouble intercept = ds.decimal(INTERCEPT);
        if (slope.isEmpty() && intercept.isEmpty()) {
            return false;
        }
        for (int f = from; f < to; f++) {
            s[f] = slope.orElse(1.0);
            b[f] = intercept.orElse(0.0);
        }
        return true;
    }
}
