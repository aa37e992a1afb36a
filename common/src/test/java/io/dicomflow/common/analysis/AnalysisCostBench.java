package io.dicomflow.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Not a test but a measuring driver (its name matches no test pattern, so the build never runs it): thread CPU
 * of analysing a synthetic 512x512 16-bit CT slice (0.5 MB of pixels, as in the load test), and of
 * encoding its 256x256 thumbnail with {@link PngEncoder} against {@code ImageIO.write}, which it replaced. Run:
 * {@code ./mvnw -B -q -pl common -am test -Dtest=AnalysisCostBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AnalysisCostBench {
    private static final int WARM_UP = 300;
    private static final int RUNS = 500;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void cpuPerCtSlice() throws Exception {
        Path file = SyntheticCt.write(Files.createTempFile("ct-", ".dcm"), 512, 512, 1, 42);
        try {
            ImageAnalyzer analyzer = ImageAnalyzer.create();
            byte[] png = null;
            for (int i = 0; i < WARM_UP; i++) {
                png = analyzer.analyze(file).thumbnail().orElseThrow().png();
            }
            BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(png));
            byte[] grey = ((DataBufferByte) thumbnail.getRaster().getDataBuffer()).getData();
            int w = thumbnail.getWidth();
            int h = thumbnail.getHeight();
            for (int round = 0; round < 3; round++) {
                long t0 = this.threads.getCurrentThreadCpuTime();
                for (int i = 0; i < RUNS; i++) {
                    analyzer.analyze(file);
                }
                long t1 = this.threads.getCurrentThreadCpuTime();
                long own = 0;
                for (int i = 0; i < RUNS; i++) {
                    own += PngEncoder.encode(w, h, 1, grey).length;
                }
                long t2 = this.threads.getCurrentThreadCpuTime();
                long imageIo = 0;
                for (int i = 0; i < RUNS; i++) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    ImageIO.write(thumbnail, "png", out);
                    imageIo += out.size();
                }
                long t3 = this.threads.getCurrentThreadCpuTime();
                System.out.printf("AnalysisCostBench: analyse %.3f ms; thumbnail PNG: PngEncoder %.3f ms (%d B), "
                    + "ImageIO.write %.3f ms (%d B) — CPU per slice%n", (t1 - t0) / 1e6 / RUNS,
                    (t2 - t1) / 1e6 / RUNS, own / RUNS, (t3 - t2) / 1e6 / RUNS, imageIo / RUNS);
                assertThat(t1).isGreaterThan(t0);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Thread CPU of rendering a 512x512 16-bit slice's thumbnail (PNG included): general loop vs integer path. */
    @Test
    void cpuPerThumbnail() throws Exception {
        Path file = SyntheticCt.write(Files.createTempFile("ct-", ".dcm"), 8, 8, 1, 42);
        try {
            io.dicomflow.common.dicom.DicomHeader header = io.dicomflow.common.dicom.DicomReader.create().readHeader(file);
            java.util.Random random = new java.util.Random(5);
            int[] values = new int[512 * 512];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(4096) - 1024;
            }
            io.dicomflow.common.dicom.pixel.Frame frame = new io.dicomflow.common.dicom.pixel.Frame(0, values, null,
                values.length, false);
            io.dicomflow.common.dicom.pixel.ImagePixelModule m = new io.dicomflow.common.dicom.pixel.ImagePixelModule(
                512, 512, 1, 16, 12, 11, true, false, 1, "MONOCHROME2", false);
            for (int i = 0; i < WARM_UP; i++) {
                ThumbnailRenderer.render(frame, m, header, 1, -1024, false);
                ThumbnailRenderer.render(frame, m, header, 1, -1024, true);
            }
            for (int round = 0; round < 3; round++) {
                long t0 = this.threads.getCurrentThreadCpuTime();
                for (int i = 0; i < RUNS; i++) {
                    ThumbnailRenderer.render(frame, m, header, 1, -1024, false);
                }
                long t1 = this.threads.getCurrentThreadCpuTime();
                for (int i = 0; i < RUNS; i++) {
                    ThumbnailRenderer.render(frame, m, header, 1, -1024, true);
                }
                long t2 = this.threads.getCurrentThreadCpuTime();
                System.out.printf("AnalysisCostBench: thumbnail of a 512x512 slice (render + PNG): general loop %.3f ms, "
                    + "integer path %.3f ms — CPU per slice%n", (t1 - t0) / 1e6 / RUNS, (t2 - t1) / 1e6 / RUNS);
                assertThat(t2).isGreaterThan(t1);
            }
        } finally {
            Files.delete(file);
        }
    }
}
