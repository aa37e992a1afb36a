package io.dicomflow.common.dicom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.FrameDecoder;
import io.dicomflow.common.dicom.pixel.PixelDecoders;
import io.dicomflow.common.dicom.pixel.UnsupportedPixelDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the reader and pixel decoders with Jazzer. Any exception other than the
 * typed ones (and any hang or OutOfMemoryError) is a finding. It runs in its own surefire execution
 * ("dicom-fuzz", JAZZER_FUZZ=1) because Jazzer's agent instruments the JVM; without JAZZER_FUZZ it only
 * replays the seeds in DicomReaderFuzzTestInputs. Seeds are small corpus files.
 */
class DicomReaderFuzzTest {
    private static final DicomReader READER = DicomReader.create(
            new ReaderLimits(1 << 20, 16L << 20, 100_000, 64, 16L << 20));

    @FuzzTest(maxDuration = "20s")
    void readerEndsInAResultOrTheTypedError(byte[] data) throws IOException {
        System.setProperty("dicomflow.codec.budget.ms", "500");
        try (DicomStream stream = READER.open(new ByteArrayInputStream(data))) {
            if (!stream.header().hasPixelData()) {
                return;
            }
            FrameDecoder decoder = PixelDecoders.open(stream);
            Frame f;
            int frames = 0;
            while ((f = decoder.next()) != null && frames++ < 4) {
                f.count();
            }
        } catch (DicomParseException | UnsupportedPixelDataException expected) {
            // the typed outcomes
        }
    }
}
