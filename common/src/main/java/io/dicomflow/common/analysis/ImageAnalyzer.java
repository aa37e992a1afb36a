package io.dicomflow.common.analysis;

import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.FrameDecoder;
import io.dicomflow.common.dicom.pixel.ImagePixelModule;
import io.dicomflow.common.dicom.pixel.PixelDecoders;
import io.dicomflow.common.dicom.pixel.UnsupportedPixelDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes an image frame by frame and computes statistics of its stored values (every frame, every
 * sample, colour not converted), per frame and in modality units. Memory holds one frame at a time.
 * Thread-safe: no state between calls.
 */
public final class ImageAnalyzer {
    private final DicomReader reader;
    private final int bins;

    private ImageAnalyzer(DicomReader reader, int bins) {
        this.reader = reader;
        this.bins = bins;
    }

    public static ImageAnalyzer create() {
        return new ImageAnalyzer(DicomReader.create(), Histogram.DEFAULT_BINS);
    }

    /** An analyzer with its own reader limits and histogram bin count. */
    public static ImageAnalyzer create(DicomReader reader, int histogramBins) {
        if (histogramBins < 1) {
            throw new IllegalArgumentException("histogram needs at least one bin");
        }
        return new ImageAnalyzer(reader, histogramBins);
    }

    public ImageAnalysis analyze(Path dicomFile) throws DicomParseException, UnsupportedImageException, IOException {
        try (DicomStream stream = reader.open(dicomFile)) {
            FrameDecoder decoder;
            try {
                decoder = PixelDecoders.open(stream);
            } catch (UnsupportedPixelDataException e) {
                throw new UnsupportedImageException(e.getMessage(), e);
            }
            ImagePixelModule m = decoder.module();
            Rescale rescale = m.samplesPerPixel() == 1 ? Rescale.of(stream.header(), m.frames()) : null;
            ValueHistogram histogram = ValueHistogram.forModule(m);
            // grows with the frames actually decoded: NumberOfFrames is only what the header claims
            List<PixelStatistics> perFrame = new ArrayList<>();
            IntegerAccumulator total = new IntegerAccumulator();
            DoubleAccumulator totalFloat = new DoubleAccumulator();
            IntegerAccumulator.RescaledSums rescaled = null;
            DoubleAccumulator rescaledFloat = new DoubleAccumulator();
            double[] rescaledValues = null;
            Frame frame;
            Thumbnail thumbnail = null;
            try {
                while ((frame = decoder.next()) != null) {
                    if (frame.isFloat()) {
                        DoubleAccumulator acc = new DoubleAccumulator();
                        acc.addAll(frame.doubles(), frame.count());
                        perFrame.add(acc.statistics());
                        totalFloat.merge(acc);
                        if (rescale != null) {
                            if (rescaledValues == null) {
                                rescaledValues = new double[frame.count()];
                            }
                            double slope = rescale.slope(frame.index());
                            double intercept = rescale.intercept(frame.index());
                            for (int i = 0; i < frame.count(); i++) {
                                rescaledValues[i] = frame.doubles()[i] * slope + intercept;
                            }
                            rescaledFloat.addAll(rescaledValues, frame.count());
                        }
                    } else {
                        IntegerAccumulator acc = new IntegerAccumulator();
                        if (histogram.exactCounts() != null) {
                            acc.addSmall(frame.ints(), frame.count(), histogram.exactCounts(), histogram.exactOffset());
                        } else {
                            acc.addAll(frame.ints(), frame.count(), frame.unsigned32());
                        }
                        perFrame.add(acc.statistics());
                        total.merge(acc);
                        if (rescale != null) {
                            int f = frame.index();
                            IntegerAccumulator.RescaledSums r = acc.rescaled(rescale.slope(f),
                                    rescale.intercept(f));
                            rescaled = rescaled == null ? r : rescaled.plus(r);
                        }
                    }
                    if (frame.isFloat() || histogram.exactCounts() == null) {
                        histogram.add(frame);
                    }
                    if (thumbnail == null) {
                        double slope = rescale == null ? 1.0 : rescale.slope(0);
                        double intercept = rescale == null ? 0.0 : rescale.intercept(0);
                        thumbnail = ThumbnailRenderer.render(frame, m, stream.header(), slope, intercept);
                    }
                }
            } catch (UnsupportedPixelDataException e) {
                throw new UnsupportedImageException(e.getMessage(), e);
            }
            PixelStatistics stored = m.floatPixels() ? totalFloat.statistics() : total.statistics();
            stored = stored.withHistogram(histogram.toHistogram(stored.min(), stored.max(), bins));
            Optional<PixelStatistics> inModalityUnits = rescale == null ? Optional.empty()
                    : m.floatPixels() ? Optional.of(rescaledFloat.statistics())
                    : Optional.ofNullable(rescaled).map(IntegerAccumulator.RescaledSums::statistics);
            return new ImageAnalysis(stream.header(), stored, inModalityUnits,
                    List.copyOf(perFrame), Optional.ofNullable(thumbnail));
        }
    }
}
