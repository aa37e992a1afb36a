package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomflow.common.dicom.CorpusReference;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every corpus file in JPEG-LS Lossless (.80) or Near-Lossless (.81) must decode, and give exactly the
 * reference statistics (DCMTK/GDCM, i.e. CharLS): count, min and max equal, mean and std within 1e-9
 * relative. Near-lossless decoding is deterministic, so it is held to the same precision as lossless.
 * (ImageAnalyzerCorpusTest accepts a typed "unsupported"; this test does not.)
 */
class JpegLsCorpusTest {
    private static final ImageAnalyzer ANALYZER = ImageAnalyzer.create();

    static Stream<CorpusReference.Entry> jpegLs() {
        return CorpusReference.dicom().stream().filter(JpegLsCorpusTest::isJpegLs);
    }

    private static boolean isJpegLs(CorpusReference.Entry e) {
        String ts = e.attributes().path("TransferSyntaxUID").asString("");
        return ts.equals("1.2.840.10008.1.2.4.80") || ts.equals("1.2.840.10008.1.2.4.81");
    }

    @Test
    void corpusHoldsJpegLsFilesOfEveryKind() {
        List<CorpusReference.Entry> files = jpegLs().toList();
        // lossless and near-lossless, grey and colour, 7 to 16 bits, signed, multi-frame, all three ILV modes
        assertThat(files).hasSizeGreaterThanOrEqualTo(11);
        assertThat(files).allMatch(e -> e.pixelsDecoded(), "the reference decoded every one of them");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jpegLs")
    void decodesToTheReferenceStatistics(CorpusReference.Entry entry) throws Exception {
        JsonNode pixel = entry.pixel();
        ImageAnalysis analysis = ANALYZER.analyze(entry.path());
        SoftAssertions soft = new SoftAssertions();
        ImageAnalyzerCorpusTest.compare(soft, "stored", pixel.path("stored"), analysis.stored(), false);
        if (pixel.has("rescaled")) {
            soft.assertThat(analysis.rescaled()).as("rescaled present").isPresent();
            analysis.rescaled().ifPresent(r ->
                    ImageAnalyzerCorpusTest.compare(soft, "rescaled", pixel.path("rescaled"), r, false));
        }
        soft.assertThat(analysis.perFrame()).as("frames").hasSize(pixel.path("frames").asInt(1));
        soft.assertAll();
    }
}
