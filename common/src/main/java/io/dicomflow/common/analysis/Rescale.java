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
 * @param slopes     slope per frame
 * @param intercepts intercept per frame
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
        double[] s = new double[frames];
        double[] b = new double[frames];
        if (fill(top, s, b, 0, frames)) {
            return new Rescale(s, b);
        }
        DicomDataset shared = transformation(top.items(SHARED), 0);
        if (shared != null && fill(shared, s, b, 0, frames)) {
            return new Rescale(s, b);
        }
        List<DicomDataset> perFrame = top.items(PER_FRAME);
        if (perFrame.isEmpty()) {
            return null;
        }
        for (int f = 0; f < frames; f++) {
            DicomDataset t = transformation(perFrame, Math.min(f, perFrame.size() - 1));
            if (t == null || !fill(t, s, b, f, f + 1)) {
                return null;
            }
        }
        return new Rescale(s, b);
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
