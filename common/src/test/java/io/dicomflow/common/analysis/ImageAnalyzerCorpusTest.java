package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Pixel statistics of every corpus file against reference.jsonl: count/min/max exact, mean and std
 * within 1e-9 relative, for stored values and for rescaled values where the reference gives them.
 * Files whose pixels the reference could not decode must end in a typed exception, never a crash.
 */
class ImageAnalyzerCorpusTest {
    private static final ImageAnalyzer ANALYZER = ImageAnalyzer.create();
    private static final double RELATIVE = 1e-9;
    private static final AtomicInteger REFERENCE_DECODED = new AtomicInteger();
    private static final AtomicInteger DECODED = new AtomicInteger();
    private static final List<String> NOT_DECODED = new ArrayList<>();

    static Stream<CorpusReference.Entry> withPixels() {
        return Stream.concat(CorpusReference.dicom().stream(), CorpusReference.seed().stream())
                .filter(e -> !e.unreadable() && e.pixel().path("present").asBoolean(false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withPixels")
    void statisticsMatchReference(CorpusReference.Entry entry) throws Exception {
        JsonNode pixel = entry.pixel();
        if (!entry.pixelsDecoded()) {
            try {
                ImageAnalysis a = ANALYZER.analyze(entry.path());
                assertThat(a.stored().count()).isPositive();
            } catch (UnsupportedImageException | DicomParseException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            return;
        }
        REFERENCE_DECODED.incrementAndGet();
        ImageAnalysis analysis;
        try {
            analysis = ANALYZER.analyze(entry.path());
        } catch (UnsupportedImageException e) {
            synchronized (NOT_DECODED) {
                NOT_DECODED.add(entry.file() + ": " + e.getMessage());
            }
            return;
        }
        DECODED.incrementAndGet();
        SoftAssertions soft = new SoftAssertions();
        boolean lossy = pixel.path("lossy").asBoolean(false)
                && entry.attributes().path("TransferSyntaxUID").asString("").startsWith("1.2.840.10008.1.2.4.9");
        compare(soft, "stored", pixel.path("stored"), analysis.stored(), lossy);
        if (pixel.has("rescaled")) {
            soft.assertThat(analysis.rescaled()).as("rescaled present").isPresent();
            analysis.rescaled().ifPresent(r -> compare(soft, "rescaled", pixel.path("rescaled"), r, lossy));
        }
        soft.assertThat(analysis.perFrame()).as("frames").hasSize(pixel.path("frames").asInt(1));
        soft.assertAll();
    }

    /**
     * Lossy JPEG 2000 decoders differ in rounding (jai-imageio here, OpenJPEG/GDCM for the reference),
     * so for those files min/max may move by 1% of the range and mean/std by 1e-4 relative.
     */
    static void compare(SoftAssertions soft, String what, JsonNode expected, PixelStatistics actual, boolean lossy) {
        if (lossy) {
            double range = Math.max(1, expected.path("max").asDouble() - expected.path("min").asDouble());
            soft.assertThat(actual.count()).as(what + " count").isEqualTo(expected.path("count").asLong());
            soft.assertThat(actual.min()).as(what + " min").isCloseTo(expected.path("min").asDouble(),
                    org.assertj.core.api.Assertions.within(range * 0.01));
            soft.assertThat(actual.max()).as(what + " max").isCloseTo(expected.path("max").asDouble(),
                    org.assertj.core.api.Assertions.within(range * 0.01));
            soft.assertThat(actual.mean()).as(what + " mean").isCloseTo(expected.path("mean").asDouble(),
                    org.assertj.core.api.Assertions.within(Math.abs(expected.path("mean").asDouble()) * 1e-4 + 1e-9));
            soft.assertThat(actual.std()).as(what + " std").isCloseTo(expected.path("std").asDouble(),
                    org.assertj.core.api.Assertions.within(Math.abs(expected.path("std").asDouble()) * 1e-4 + 1e-9));
            return;
        }
        soft.assertThat(actual.count()).as(what + " count").isEqualTo(expected.path("count").asLong());
        soft.assertThat(actual.min()).as(what + " min").isEqualTo(expected.path("min").asDouble());
        soft.assertThat(actual.max()).as(what + " max").isEqualTo(expected.path("max").asDouble());
        close(soft, what + " mean", expected.path("mean").asDouble(), actual.mean());
        close(soft, what + " std", expected.path("std").asDouble(), actual.std());
    }

    private static void close(SoftAssertions soft, String what, double expected, double actual) {
        double tolerance = Math.max(Math.abs(expected) * RELATIVE, 1e-12);
        soft.assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(tolerance);
    }

    @AfterAll
    static void reportCoverage() {
        System.out.printf("DICOM decode coverage: %d of %d files the reference decoded%n", DECODED.get(),
                REFERENCE_DECODED.get());
        NOT_DECODED.stream().sorted().forEach(s -> System.out.println("  not decoded: " + s));
        if (DECODED.get() == 0 && REFERENCE_DECODED.get() > 0) {
            fail("nothing decoded");
        }
    }
}
