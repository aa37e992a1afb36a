package io.dicomflow.common.analysis;

import io.dicomflow.common.dicom.DicomHeader;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ImageAnalyzer} found in one image.
 *
 * @param header    the parsed attributes
 * @param stored    figures of the stored values over every frame and sample, with a histogram
 * @param rescaled  the same in modality units (Rescale Slope/Intercept, e.g. Hounsfield units) when the
 *                  image has one sample per pixel and a rescale at the top level or in functional groups
 * @param perFrame  stored-value figures of each frame
 * @param thumbnail windowed 8-bit PNG of the first frame, longest side at most 256 pixels
 */
public record ImageAnalysis(DicomHeader header, PixelStatistics stored, Optional<PixelStatistics> rescaled,
                            List<PixelStatistics> perFrame, Optional<Thumbnail> thumbnail) {

    /** Without a thumbnail (the shape of the first published version). */
    public ImageAnalysis(DicomHeader header, PixelStatistics stored, Optional<PixelStatistics> rescaled,
                         List<PixelStatistics> perFrame) {
        this(header, stored, rescaled, perFrame, Optional.empty());
    }
}
