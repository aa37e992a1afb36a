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
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The file-level half of the codec hostile-input tests: mutated Part 10 files are read and every frame decoded,
 * and each must end in a result or the typed error within a CPU budget. The mutations themselves stay with each
 * codec's test, since they target that codec's markers.
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

}
