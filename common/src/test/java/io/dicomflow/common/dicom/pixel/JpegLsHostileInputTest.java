package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated JPEG-LS codestreams and files (bit flips, truncations, copied bytes, inserted markers and fill
 * bytes, forged header fields): each decode must end with a result or the typed error, quickly (CPU time of
 * the decoding thread), and without allocating beyond its line buffers: never an unchecked exception, an
 * endless loop or an allocation from a forged size.
 */
class JpegLsHostileInputTest {
    private static final long SECOND = 1_000_000_000L;
    private static final DicomReader READER = DicomReader.create();
    private static final String[] SYNTHETIC = {"gray8", "gray12", "gray12_raw", "gray16", "signed16", "gray2",
        "gray8_2frames", "gray8_presets", "rgb8_line", "rgb8_sample", "rgb8_none", "gray8_near3", "gray16_near2",
        "rgb8_sample_near1", "rgb8_line_near2"};
    private static final String[] CORPUS = {"pydicom-JPEGLSNearLossless_08.dcm", "pydicom-SC_rgb_jls_lossy_sample.dcm",
        "pydicomdata-JLSL_08_07_0_1F.dcm", "pydicomdata-JLSL_16_15_1_1F.dcm"};

    private static List<Path> seedFiles() {
        List<Path> files = new ArrayList<>();
        for (String s : SYNTHETIC) {
            files.add(JpegLsDecoderTest.resource(s + ".dcm"));
        }
        for (String c : CORPUS) {
            files.add(CorpusReference.folder("dicom").resolve(c));
        }
        return files;
    }

    @Test
    void mutatedCodestreamsEndInAResultOrTheTypedError() throws Exception {
        List<JpegLsDecoderTest.Stream> seeds = new ArrayList<>();
        for (Path p : seedFiles()) {
            seeds.add(JpegLsDecoderTest.codestream(p));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Random random = new Random(20261203);
        int typed = 0;
        int decoded = 0;
        long worstCpu = 0;
        long worstAllocated = 0;
        for (int i = 0; i < 6000; i++) {
            JpegLsDecoderTest.Stream seed = seeds.get(i % seeds.size());
            byte[] mutated = mutate(seed.codestream(), random);
            int[] out = new int[seed.module().valuesPerFrame()];
            long cpu = mx.getCurrentThreadCpuTime();
            long allocated = mx.getThreadAllocatedBytes(thread);
            try {
                JpegLsDecoder.decode(mutated, seed.module(), out);
                decoded++;
            } catch (UnsupportedPixelDataException e) {
                typed++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + " of " + seedFiles().get(i % seeds.size()).getFileName() + ": unchecked " + e, e);
            }
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            allocated = mx.getThreadAllocatedBytes(thread) - allocated;
            worstCpu = Math.max(worstCpu, cpu);
            worstAllocated = Math.max(worstAllocated, allocated);
            assertThat(cpu).as("mutation %d used %d ms of CPU", i, cpu / 1_000_000).isLessThan(SECOND);
            // line buffers and context tables of a few kB; the output array is the caller's
            assertThat(allocated).as("mutation %d allocated %d bytes", i, allocated).isLessThan(1L << 20);
        }
        System.out.printf("JPEG-LS hostile codestreams: %d decoded, %d typed errors, worst %.1f ms CPU, %d bytes%n",
                decoded, typed, worstCpu / 1e6, worstAllocated);
        assertThat(typed).as("most mutations are detected as corrupt").isGreaterThan(1000);
    }

    @Test
    void mutatedFilesEndInAResultOrTheTypedError() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (Path p : seedFiles()) {
            seeds.add(Files.readAllBytes(p));
        }
        int typed = MutatedFiles.decodeAll(seeds, 3000, SECOND, JpegLsHostileInputTest::mutate);
        assertThat(typed).isGreaterThan(300);
    }

    @Test
    void forgedDimensionsAreRefusedBeforeAnyAllocation() throws Exception {
        JpegLsDecoderTest.Stream s = JpegLsDecoderTest.codestream(JpegLsDecoderTest.resource("gray8.dcm"));
        byte[] cs = s.codestream().clone();
        int sof = 0;
        while (!((cs[sof] & 0xFF) == 0xFF && (cs[sof + 1] & 0xFF) == 0xF7)) {
            sof++;
        }
        // SOF55 X and Y at 65535: the header's 23 x 37 frame is the bound, not the codestream's claim
        Arrays.fill(cs, sof + 5, sof + 9, (byte) 0xFF);
        assertThatThrownBy(() -> JpegLsDecoder.decode(cs, s.module(), new int[s.module().valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("65535x65535");
        // the same through an LSE oversize-dimensions segment (ID 4, 4-byte Y and X) with Y = X = 2^31 - 1
        byte[] lse = {(byte) 0xFF, (byte) 0xF8, 0, 12, 4, 4, 0x7F, -1, -1, -1, 0x7F, -1, -1, -1};
        byte[] original = s.codestream();
        int sos = sof;
        while (!((original[sos] & 0xFF) == 0xFF && (original[sos + 1] & 0xFF) == 0xDA)) {
            sos++;
        }
        byte[] withLse = new byte[original.length + lse.length];
        System.arraycopy(original, 0, withLse, 0, sos);
        System.arraycopy(lse, 0, withLse, sos, lse.length);
        System.arraycopy(original, sos, withLse, sos + lse.length, original.length - sos);
        assertThatThrownBy(() -> JpegLsDecoder.decode(withLse, s.module(), new int[s.module().valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("2147483647x2147483647");
    }

    /** The first 64 bytes hold the marker segments; markers: RSTm, EOI, SOS, LSE, DNL, a fill byte. */
    private static final MutatedFiles.Codestream JPEG_LS = new MutatedFiles.Codestream(64,
            r -> new int[] {0, 0xFF, 0x80, 0x7F, 1, r.nextInt(256)},
            r -> new int[] {0xD0 + r.nextInt(8), 0xD9, 0xDA, 0xF8, 0xDC, 0xFF, 0x00}, 32, (byte) 0x7F);

    private static byte[] mutate(byte[] seed, Random r) {
        return MutatedFiles.mutate(seed, r, JPEG_LS);
    }
}
