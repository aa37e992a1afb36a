package io.dicomflow.common.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomflow.common.analysis.ImageAnalysis;
import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.analysis.UnsupportedImageException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The brief's sample files parse, with the patient and study fields of its Task 2. */
class SeedFilesTest {
    private final DicomReader reader = DicomReader.create();
    private final Path seed = CorpusReference.folder("seed");

    @Test
    void sample01PatientAndStudyFields() throws Exception {
        DicomHeader h = reader.readHeader(seed.resolve("sample-01-dicom.dcm"));
        assertThat(h.string("PatientName")).hasValue("Anonymous");
        assertThat(h.string("PatientID")).hasValue("Anon474899");
        assertThat(h.string("StudyDate")).hasValue("20090925");
        assertThat(h.string("Modality")).hasValue("MR");
        assertThat(h.string("StudyInstanceUID"))
                .hasValue("1.2.826.0.1.3680043.9.4245.6991930879568943665960007045689326523");
        assertThat(h.integer("Rows")).hasValue(512);
        assertThat(h.integer("BitsStored")).hasValue(12);
        assertThat(h.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
    }

    @Test
    void sample01StoredValuesExcludeTheOverlayBit() throws Exception {
        ImageAnalysis a = ImageAnalyzer.create().analyze(seed.resolve("sample-01-dicom.dcm"));
        assertThat(a.stored().count()).isEqualTo(262144);
        assertThat(a.stored().max()).isEqualTo(4095); // 7306 with bit 12 (the overlay) left in
        assertThat(a.stored().histogram()).isPresent();
    }

    @Test
    void sample02JpegCineParsesAndDecodesOrSaysWhyNot() throws Exception {
        Path file = seed.resolve("sample-02-dicom.dcm");
        DicomHeader h = reader.readHeader(file);
        assertThat(h.string("PatientName")).hasValue("Rubo DEMO");
        assertThat(h.string("PatientID")).hasValue("556342B");
        assertThat(h.integer("NumberOfFrames")).hasValue(96);
        assertThat(h.hasPixelData()).isTrue();
        try {
            ImageAnalysis a = ImageAnalyzer.create().analyze(file);
            assertThat(a.perFrame()).hasSize(96);
        } catch (UnsupportedImageException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
