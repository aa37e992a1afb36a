package io.dicomflow.cli.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import io.dicomflow.cli.CliRun;
import io.dicomflow.cli.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bad-input paths of {@code upload}, which need no server (the end-to-end test is CliUploadIT in standalone). */
class UploadCommandTest {

    @TempDir
    Path folder;

    @Test
    void missingPathIsExitCode2WithOneLine() {
        CliRun run = CliRun.of("upload", folder.resolve("missing").toString(), "--token", "t");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("dicomflow upload: no such file or folder: " + folder.resolve("missing"));
        assertThat(run.out()).isEmpty();
    }

    @Test
    void folderWithoutDicomIsExitCode2() {
        Corpus.copy("seed", "sample-01-csv.csv", folder);
        CliRun run = CliRun.of("upload", folder.toString(), "--token", "t");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(
                "dicomflow upload: no DICOM files in " + folder + " (1 other files skipped)");
    }

    @Test
    void unreachableServerIsExitCode2AndTheTokenIsNotPrinted() throws IOException {
        Corpus.copy("seed", "sample-01-dicom.dcm", folder);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        CliRun run = CliRun.of("upload", folder.toString(), "--server", "http://127.0.0.1:" + port,
                "--token", "secret-token-value", "--watch");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1).first().asString()
                .startsWith("dicomflow upload: cannot reach http://127.0.0.1:" + port);
        assertThat(run.out() + run.err()).doesNotContain("secret-token-value");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        Corpus.copy("seed", "sample-01-dicom.dcm", folder);
        assertThat(CliRun.of("upload", folder.toString(), "--parallel", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("upload", folder.toString(), "--server", "ftp://x").err())
                .contains("--server must be an http(s) URL");
        assertThat(CliRun.of("upload").exitCode()).isEqualTo(2);
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        CliRun run = CliRun.of("upload", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--watch", "--parallel", "--client-id", "Examples:", "Exit codes:");
    }
}
