package io.dicomflow.common.dicom.pixel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.DicomStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The file-level half of the codec hostile-input tests: mutated Part 10 files are read and every frame decoded,
 * and each must end in a result or the typed error within a CPU budget. The mutations themselves stay with each
 * codec's test as a {@link Codestream}, since they target that codec's markers.
 */
final class MutatedFiles {

    private static final DicomReader READER = DicomReader.create();

    private MutatedFiles() {
    }

    /**
     * Decodes {@code count} mutations of the seeds (taken in turn) and returns how many ended in the typed error.
     *
     * @param maxCpuNanos the CPU one mutated file may take
     */
    static int decodeAll(List<byte[]> seeds, int count, long maxCpuNanos, BiFunction<byte[], Random, byte[]> mutate) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Random random = new Random(7);
        int typed = 0;
        for (int i = 0; i < count; i++) {
            byte[] mutated = mutate.apply(seeds.get(i % seeds.size()), random);
            long cpu = mx.getCurrentThreadCpuTime();
            try (DicomStream stream = READER.open(new ByteArrayInputStream(mutated))) {
                if (stream.header().hasPixelData()) {
                    FrameDecoder decoder = PixelDecoders.open(stream);
                    while (decoder.next() != null) {
                        // all frames
                    }
                }
            } catch (DicomParseException | UnsupportedPixelDataException e) {
                typed++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (IOException e) {
                fail("mutation " + i + ": IOException on an in-memory stream", e);
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + ": unchecked " + e, e);
            }
            cpu = mx.getCurrentThreadCpuTime() - cpu;
            assertThat(cpu).as("mutation %d used %d ms of CPU", i, cpu / 1_000_000).isLessThan(maxCpuNanos);
        }
        return typed;
    }


    /**
     * How a codec's codestreams are mutated: its header region (marker segments), the extreme values set there, the
     * markers inserted into the data and the longest run of flat bytes (each function draws from the random
     * source in the order the mutation uses it).
     */
    record Codestream(int headerBytes, Function<Random, int[]> headerValues, Function<Random, int[]> markers,
            int maxFlatRun, byte flatHigh) {
    }

    /** One random mutation of {@code seed}: bit flips, a cut, forged header bytes or fields, markers, flat runs. */
    static byte[] mutate(byte[] seed, Random r, Codestream c) {
        byte[] b = seed.clone();
        switch (r.nextInt(7)) {
            case 0 -> { // bit flips anywhere
                int flips = 1 + r.nextInt(8);
                for (int k = 0; k < flips; k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // truncation
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> { // a header byte set to an extreme
                int at = r.nextInt(Math.min(c.headerBytes(), b.length));
                int[] values = c.headerValues().apply(r);
                b[at] = (byte) values[r.nextInt(values.length)];
            }
            case 3 -> { // a marker inserted in the data
                int at = r.nextInt(b.length);
                int[] markers = c.markers().apply(r);
                byte[] out = new byte[b.length + 2];
                System.arraycopy(b, 0, out, 0, at);
                out[at] = (byte) 0xFF;
                out[at + 1] = (byte) markers[r.nextInt(markers.length)];
                System.arraycopy(b, at, out, at + 2, b.length - at);
                return out;
            }
            case 4 -> { // bytes set to all zeros or all ones (long runs, long unary prefixes)
                int at = r.nextInt(b.length);
                int len = Math.min(1 + r.nextInt(c.maxFlatRun()), b.length - at);
                Arrays.fill(b, at, at + len, r.nextBoolean() ? (byte) 0 : c.flatHigh());
            }
            case 5 -> { // a 16-bit field forged (segment lengths, sizes, parameters)
                int at = r.nextInt(Math.max(1, Math.min(c.headerBytes(), b.length - 1)));
                int v = new int[] {0xFFFF, 0, 1, 0x8000, r.nextInt(0x10000)}[r.nextInt(5)];
                b[at] = (byte) (v >> 8);
                if (at + 1 < b.length) {
                    b[at + 1] = (byte) v;
                }
            }
            default -> { // bytes copied over from elsewhere
                int len = 1 + r.nextInt(64);
                int from = r.nextInt(b.length);
                int to = r.nextInt(b.length);
                System.arraycopy(seed, from, b, to, Math.min(len, Math.min(b.length - from, b.length - to)));
            }
        }
        return b;
    }

}
