package io.dicomflow.cli.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressMeterTest {

    @Test
    void countsBytesReadAndDrawsABar() throws IOException {
        StringWriter err = new StringWriter();
        try (ProgressMeter meter = ProgressMeter.startForTest("csv-stats", 2_000_000, new PrintWriter(err), 10_000)) {
            InputStream in = meter.track(new ByteArrayInputStream(new byte[1_000_000]));
            in.readNBytes(500_000);
            in.read();

            assertThat(meter.render()).isEqualTo(
                    "csv-stats  [########......................]  25%  0.5 MB of 2.0 MB");
        }
        // Closed before the first drawing (10 s delay): nothing was printed, nothing to erase.
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void drawsAfterTheDelayAndErasesItsLineWhenClosed() throws Exception {
        StringWriter err = new StringWriter();
        try (ProgressMeter meter = ProgressMeter.startForTest("elements", 100, new PrintWriter(err), 0)) {
            meter.track(new ByteArrayInputStream(new byte[100])).readAllBytes();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!err.toString().contains("100%") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        String output = err.toString();
        assertThat(output).contains("\relements  [##############################] 100%");
        assertThat(output).endsWith("\r");
    }

    @Test
    void testsAreNotATerminal() {
        // Surefire's forked JVM has no console: commands never draw a bar under test.
        assertThat(ProgressMeter.interactive()).isFalse();
    }
}
