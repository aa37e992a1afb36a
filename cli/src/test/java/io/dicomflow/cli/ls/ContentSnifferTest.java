package io.dicomflow.cli.ls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import java.nio.file.Path;

import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ContentSnifferTest {

    private final ContentSniffer sniffer = new ContentSniffer();

    private FileKind sniff(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return sniffer.sniff(bytes, bytes.length);
    }

    @Test
    void seedFilesAreRecognised(@TempDir Path temp) {
        assertThat(sniffer.sniff(Corpus.copy("seed", "sample-01-csv.csv", temp))).isEqualTo(FileKind.CSV);
        assertThat(sniffer.sniff(Corpus.copy("seed", "sample-03-00-json.json", temp))).isEqualTo(FileKind.JSON);
        assertThat(sniffer.sniff(Corpus.copy("seed", "sample-04-json.json", temp))).isEqualTo(FileKind.JSON);
        assertThat(sniffer.sniff(Corpus.copy("seed", "sample-01-dicom.dcm", temp))).isEqualTo(FileKind.DICOM);
        assertThat(sniffer.sniff(Corpus.copy("seed", "MANIFEST.tsv", temp))).isEqualTo(FileKind.OTHER);
        assertThat(sniffer.sniff(Corpus.copy("seed", "reference.jsonl", temp))).isEqualTo(FileKind.OTHER);
    }

    /** Bare data sets without preamble or File Meta Information are DICOM too. */
    @ParameterizedTest
    @ValueSource(strings = {"pydicomdata-OT-PAL-8-face.dcm", "pydicom-ExplVR_LitEndNoMeta.dcm",
            "pydicom-MR_small_expb.dcm", "pydicom-image_dfl.dcm"})
    void corpusDicomFilesAreRecognised(String name, @TempDir Path temp) {
        assertThat(sniffer.sniff(Corpus.copy("dicom", name, temp))).isEqualTo(FileKind.DICOM);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"a": [1, 2, 3]}                 | JSON
            [1, 2]                           | JSON
            '  \\n {"a": 1}  \\n'              | JSON
            {"a": 1} {"b": 2}                | OTHER
            {"a": 1,,}                       | OTHER
            'a,b\\n1,2\\n3,4\\n'                | CSV
            'a,"b,c"\\n1,"2\\n2"\\n'            | CSV
            'a,b\\n1,2,3\\n'                   | OTHER
            'just words'                     | OTHER
            """)
    void sniffsTextByContent(String content, FileKind expected) {
        assertThat(sniff(content.replace("\\n", "\n"))).isEqualTo(expected);
    }

    @Test
    void byteOrderMarkDoesNotHideCsv() {
        assertThat(sniff("\uFEFFa,b\n1,2\n")).isEqualTo(FileKind.CSV);
    }

    @Test
    void jsonCutOffByTheHeadIsStillJson() {
        StringBuilder big = new StringBuilder("{\"values\": [");
        while (big.length() < ContentSniffer.HEAD_BYTES + 100) {
            big.append("12345, ");
        }
        big.append("0]}");
        byte[] all = big.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = java.util.Arrays.copyOf(all, ContentSniffer.HEAD_BYTES);

        assertThat(sniffer.sniff(head, all.length)).isEqualTo(FileKind.JSON);
    }

    @Test
    void binaryWithNulBytesIsOther() {
        assertThat(sniffer.sniff(new byte[] {'%', 'P', 'D', 'F', 0, 1, 2}, 7)).isEqualTo(FileKind.OTHER);
    }

    @Test
    void dicomWithAndWithoutPreamble() {
        byte[] part10 = LsCommandTest.part10Dicom();
        byte[] bare = LsCommandTest.bareImplicitLittleEndianDicom();
        byte[] explicitBare = {0x08, 0x00, 0x05, 0x00, 'C', 'S', 0x0a, 0x00};

        assertThat(sniffer.sniff(part10, part10.length)).isEqualTo(FileKind.DICOM);
        assertThat(sniffer.sniff(bare, bare.length)).isEqualTo(FileKind.DICOM);
        assertThat(sniffer.sniff(explicitBare, 100)).isEqualTo(FileKind.DICOM);
    }
}
