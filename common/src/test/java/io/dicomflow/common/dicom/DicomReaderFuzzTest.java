package io.dicomflow.common.dicom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomflow.common.analysis.ImageAnalyzer;
import io.dicomflow.common.dicom.pixel.Frame;
import io.dicomflow.common.dicom.pixel.FrameDecoder;
import io.dicomflow.common.dicom.pixel.PixelDecoders;
import io.dicomflow.common.dicom.pixel.UnsupportedPixelDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the reader and pixel decoders with Jazzer. Any exception other than the
 * typed ones (and any hang or OutOfMemoryError) is a finding. It runs in its own surefire execution
 * ("dicom-fuzz", JAZZER_FUZZ=1) because Jazzer's agent instruments the JVM; without JAZZER_FUZZ it only
 * replays the seeds in DicomReaderFuzzTestInputs. Seeds are small corpus files and the header-driven
 * allocation files of {@link HostileFiles}.
 *
 * <p>Each input is used three ways: parsed and decoded as a stream; analysed whole as a file; and read as
 * the image attributes and lengths of a crafted Part 10 file ({@link #crafted(byte[])}: transfer syntax,
 * Rows, Columns, Bits Allocated, Samples per Pixel, NumberOfFrames, the pixel data length and fragment
 * count), so that the fuzzer steers header fields directly. Both analyses must stay within the
 * {@link AllocationBudget}: header fields must not drive allocation. (Jazzer fuzzes one method per run,
 * hence one method for all three.)
 */
class DicomReaderFuzzTest {
    private static final DicomReader READER = DicomReader.create(
            new ReaderLimits(1 << 20, 16L << 20, 100_000, 64, 16L << 20));
    private static final ImageAnalyzer ANALYZER = ImageAnalyzer.create(READER, 256);
    private static final String[] SYNTAXES = {HostileFiles.EXPLICIT_VR_LE, HostileFiles.RLE, HostileFiles.DEFLATED,
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.90"};
    private static final int[] BITS = {1, 8, 16, 32, 64, 12};
    private static final int[] SAMPLES = {1, 3, 4, 2};
    private static Path scratch;

    @FuzzTest(maxDuration = "20s")
    void readerEndsInAResultOrTheTypedError(byte[] data) throws IOException {
        System.setProperty("dicomflow.codec.budget.ms", "500");
        try (DicomStream stream = READER.open(new ByteArrayInputStream(data))) {
            if (stream.header().hasPixelData()) {
                FrameDecoder decoder = PixelDecoders.open(stream);
                Frame f;
                int frames = 0;
                while ((f = decoder.next()) != null && frames++ < 4) {
                    f.count();
                }
            }
        } catch (DicomParseException | UnsupportedPixelDataException expected) {
            // the typed outcomes
        }
        withinBudget(data);
        withinBudget(crafted(data));
    }

    private static Path scratch() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempFile("fuzz-", ".dcm");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }

    private static void withinBudget(byte[] file) throws IOException {
        AllocationBudget.Outcome outcome = AllocationBudget.analyse(ANALYZER, file, scratch());
        if (outcome.allocated() > AllocationBudget.of(file.length)) {
            throw new AssertionError("analysing " + file.length + " bytes allocated " + outcome.allocated()
                    + " bytes (" + (outcome.error() == null ? "analysed" : outcome.error().getMessage()) + ")");
        }
    }

    /**
     * A Part 10 file whose image attributes come from the first 24 bytes of data (little endian): transfer
     * syntax, Rows, Columns, Bits Allocated, Samples per Pixel, NumberOfFrames (any int, as IS text), the
     * declared native pixel data length and the number of fragments; the rest of data is the pixel data
     * value (split evenly into fragments for encapsulated syntaxes).
     */
    static byte[] crafted(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(java.util.Arrays.copyOf(data, Math.max(24, data.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        String syntax = SYNTAXES[Math.floorMod(in.get(), SYNTAXES.length)];
        int rows = in.getShort() & 0xFFFF;
        int columns = in.getShort() & 0xFFFF;
        int bitsChoice = in.get();
        int bits = bitsChoice >= 0 ? BITS[bitsChoice % BITS.length] : in.getShort(6) & 0xFFFF;
        int samples = SAMPLES[Math.floorMod(in.get(), SAMPLES.length)];
        int frames = in.getInt();
        long declaredLength = in.getInt() & 0xFFFFFFFFL;
        int fragments = in.get() & 0xFF;
        in.position(24);
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        HostileFiles.Builder b = HostileFiles.image(syntax, rows, columns, bits, samples, Integer.toString(frames));
        if (syntax.equals(HostileFiles.EXPLICIT_VR_LE) || syntax.equals(HostileFiles.DEFLATED)) {
            b.header(0x7FE00010, bits > 8 ? "OW" : "OB", declaredLength).raw(payload);
        } else {
            b.header(0x7FE00010, "OB", 0xFFFFFFFFL).item(0);
            int n = Math.max(1, fragments);
            int size = payload.length / n & ~1;
            for (int i = 0; i < n; i++) {
                b.item(size).raw(java.util.Arrays.copyOfRange(payload, i * size, (i + 1) * size));
            }
            b.sequenceDelimiter();
        }
        return b.toBytes();
    }
}
