package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.dicomflow.common.dicom.CorpusReference;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutated HTJ2K codestreams and files (bit flips, truncations, inserted markers, forged header fields, runs
 * of 0x00/0xFF in the block data): each decode must end with a result or the typed error, within a CPU
 * budget and allocating no more than a small multiple of the declared frame; never an unchecked exception,
 * an endless loop or an allocation from a size read from the codestream.
 */
class HtJ2kHostileInputTest {
    private static final long SECOND = 1_000_000_000L;
    private static final DicomReader READER = DicomReader.create();
    private static final Path CORPUS_FILE = CorpusReference.folder("dicom").resolve("pydicomdata-HTJ2K_08_RGB.dcm");

    private record Seed(String name, ImagePixelModule module, byte[] codestream) {
    }

    private static List<Seed> syntheticSeeds() {
        List<Seed> seeds = new ArrayList<>();
        for (HtJ2kDecoderTest.Case c : HtJ2kDecoderTest.cases()) {
            seeds.add(new Seed(c.name(), c.module(), c.codestream()));
        }
        return seeds;
    }

    private static Seed corpusSeed() throws IOException, DicomParseException, UnsupportedPixelDataException {
        try (DicomStream stream = READER.open(CORPUS_FILE)) {
            DicomHeader header = stream.header();
            ImagePixelModule m = ImagePixelModule.of(header);
            byte[] frame = new EncapsulatedFragments(new BufferedInputStream(stream.pixelValue()), header, m.frames(),
                    EncapsulatedFragments.Boundaries.JPEG_2000).nextFrame();
            return new Seed("corpus", m, frame);
        }
    }

    @Test
    void mutatedCodestreamsEndInAResultOrTheTypedError() throws Exception {
        List<Seed> seeds = syntheticSeeds();
        Seed corpus = corpusSeed();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Random random = new Random(20261203);
        int typed = 0;
        int decoded = 0;
        long worstCpu = 0;
        long worstAllocated = 0;
        for (int i = 0; i < 4000; i++) {
            // the corpus frame (640x480 RGB) is slower to decode: one mutation in 50
            Seed seed = i % 50 == 49 ? corpus : seeds.get(i % seeds.size());
            byte[] mutated = mutate(seed.codestream(), random);
            int[] out = new int[seed.module().valuesPerFrame()];
            long cpu = mx.getCurrentThreadCpuTime();
            long allocated = mx.getThreadAllocatedBytes(thread);
            try {
                HtJ2kDecoder.decode(mutated, seed.module(), out);
                decoded++;
            } catch (UnsupportedPixelDataException e) {
                typed++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + " of " + seed.name() + ": unchecked " + e, e);
            }
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            allocated = mx.getThreadAllocatedBytes(thread) - allocated;
            worstCpu = Math.max(worstCpu, cpu);
            worstAllocated = Math.max(worstAllocated, allocated);
            assertThat(cpu).as("mutation %d of %s used %d ms of CPU", i, seed.name(), cpu / 1_000_000)
                    .isLessThan(SECOND);
            // subband, wavelet and code-block buffers: a few ints per sample of the declared frame
            long budget = 64L * seed.module().valuesPerFrame() + (1 << 20);
            assertThat(allocated).as("mutation %d of %s allocated %d bytes", i, seed.name(), allocated)
                    .isLessThan(budget);
        }
        System.out.printf("HTJ2K hostile codestreams: %d decoded, %d typed errors, worst %.1f ms CPU, %d bytes%n",
                decoded, typed, worstCpu / 1e6, worstAllocated);
        assertThat(typed).as("many mutations are detected as corrupt").isGreaterThan(800);
    }

    @Test
    void mutatedFilesEndInAResultOrTheTypedError() throws Exception {
        int typed = MutatedFiles.decodeAll(List.of(Files.readAllBytes(CORPUS_FILE)), 120, 2 * SECOND,
                HtJ2kHostileInputTest::mutate);
        assertThat(typed).isGreaterThan(10);
    }

    @Test
    void forgedSizesAndUnsupportedFeaturesEndInTheTypedError() {
        HtJ2kDecoderTest.Case c = HtJ2kDecoderTest.cases().get(0);
        byte[] original = c.codestream();
        // SIZ Xsiz (offset 8) forged to 2^31 - 1: the header's frame is the bound, not the codestream's claim
        byte[] big = original.clone();
        big[8] = 0x7F;
        Arrays.fill(big, 9, 12, (byte) 0xFF);
        assertThatThrownBy(() -> HtJ2kDecoder.decode(big, c.module(), new int[c.module().valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("2147483647");
        // code-block style without the HT flag: Part 1 (EBCOT) blocks are refused, not decoded as HT
        byte[] part1 = original.clone();
        int cod = indexOf(part1, 0xFF, 0x52);
        part1[cod + 4 + 5 + 3] &= ~0x40;
        assertThatThrownBy(() -> HtJ2kDecoder.decode(part1, c.module(), new int[c.module().valuesPerFrame()]))
                .isInstanceOf(UnsupportedPixelDataException.class).hasMessageContaining("not all HT");
        // not a codestream at all
        assertThatThrownBy(() -> HtJ2kDecoder.decode(new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' '}, c.module(),
                new int[c.module().valuesPerFrame()])).isInstanceOf(UnsupportedPixelDataException.class);
    }

    /**
     * A truncated codestream is refused, never decoded into an image with missing detail: also when the
     * (only) tile-part's length Psot is 0, "up to the end of the codestream", so that only the missing
     * packets can tell.
     */
    @Test
    void everyTruncationBeforeTheEocMarkerEndsInTheTypedError() throws Exception {
        List<HtJ2kDecoderTest.Case> singleTilePart = new ArrayList<>();
        for (HtJ2kDecoderTest.Case c : HtJ2kDecoderTest.cases()) {
            if (c.name().contains("tiles") || c.name().contains("offsets")) {
                continue;
            }
            singleTilePart.add(c);
            check(c, c.codestream());
            byte[] open = c.codestream().clone();
            int sot = indexOf(open, 0xFF, 0x90);
            Arrays.fill(open, sot + 6, sot + 10, (byte) 0);
            check(c, open);
        }
        assertThat(singleTilePart).hasSizeGreaterThan(10);
    }

    private static void check(HtJ2kDecoderTest.Case c, byte[] cs) throws Exception {
        ImagePixelModule m = c.module();
        HtJ2kDecoder.decode(cs, m, new int[m.valuesPerFrame()]);
        HtJ2kDecoder.decode(Arrays.copyOf(cs, cs.length - 2), m, new int[m.valuesPerFrame()]); // EOC is optional
        for (int n = 0; n < cs.length - 2; n += 1 + n / 64) {
            byte[] cut = Arrays.copyOf(cs, n);
            assertThatThrownBy(() -> HtJ2kDecoder.decode(cut, m, new int[m.valuesPerFrame()]))
                    .as("%s cut to %d of %d bytes", c.name(), n, cs.length)
                    .isInstanceOf(UnsupportedPixelDataException.class);
        }
    }

    private static int indexOf(byte[] data, int a, int b) {
        for (int i = 0; i + 1 < data.length; i++) {
            if ((data[i] & 0xFF) == a && (data[i + 1] & 0xFF) == b) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    /** SIZ/COD/QCD live in the first ~100 bytes; markers: SOT, SOD, EOC, SOP, EPH, COD, POC, a fill byte. */
    private static final MutatedFiles.Codestream HTJ2K = new MutatedFiles.Codestream(128,
            r -> new int[] {0, 0xFF, 0x80, 0x7F, 1, 0x40, r.nextInt(256)},
            r -> new int[] {0x90, 0x93, 0xD9, 0x91, 0x92, 0x52, 0x5F, 0xFF, 0x00}, 64, (byte) 0xFF);

    private static byte[] mutate(byte[] seed, Random r) {
        return MutatedFiles.mutate(seed, r, HTJ2K);
    }
}
