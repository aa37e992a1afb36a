package io.dicomflow.common.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads DICOM Part 10 files (PS3.10 7.1: preamble, "DICM", File Meta Information) and bare datasets
 * (no preamble; implicit or explicit VR detected from the first element) up to the top-level pixel data.
 *
 * <p>Immutable and thread-safe: each call parses with its own state. Memory use is bounded by
 * {@link ReaderLimits}, not by the file size, because the pixel data value is never read here.
 */
public final class DicomReader {
    private static final int PREAMBLE = 128;

    private final ReaderLimits limits;

    private DicomReader(ReaderLimits limits) {
        this.limits = limits;
    }

    public static DicomReader create() {
        return new DicomReader(ReaderLimits.DEFAULT);
    }

    public static DicomReader create(ReaderLimits limits) {
        return new DicomReader(limits);
    }

    public ReaderLimits limits() {
        return limits;
    }

    /** Parses the header of a stream; the stream is read up to the pixel data value and not closed. */
    public DicomHeader readHeader(InputStream in) throws DicomParseException, IOException {
        return parse(new DicomInput(in, 0, -1)).header();
    }

    public DicomHeader readHeader(Path file) throws DicomParseException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(new DicomInput(in, 0, Files.size(file))).header();
        }
    }

    /** Parses the header and leaves the returned stream in front of the pixel data value. */
    public DicomStream open(Path file) throws DicomParseException, IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return parse(new DicomInput(in, 0, Files.size(file)));
        } catch (DicomParseException | IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Like {@link #open(Path)} for a stream of unknown length; closing the result closes {@code in}. */
    public DicomStream open(InputStream in) throws DicomParseException, IOException {
        return parse(new DicomInput(in, 0, -1));
    }

    private DicomStream parse(DicomInput input) throws DicomParseException, IOException {
        List<String> warnings = new ArrayList<>();
        DicomInput in = input;
        DatasetParser parser = new DatasetParser(in, limits, warnings);
        DicomDataset meta = new DicomDataset(null, false);
        DicomDataset dataset = null;
        TransferSyntax ts = null;
        try {
            boolean part10 = skipPreamble(in);
            parser.readFileMeta(meta);
            if (!part10 && meta.size() == 0) {
                requirePlausibleDatasetStart(in);
            }
            String declared = meta.string(Tags.TRANSFER_SYNTAX_UID).orElse("").strip();
            boolean inferred = declared.isEmpty();
            ts = inferred ? inferFromData(in) : TransferSyntax.of(declared);
            if (ts.deflated()) {
                long start = in.position();
                CappedInputStream.Counting deflated = new CappedInputStream.Counting(in.rest());
                InputStream inflated = new InflaterInputStream(deflated, new Inflater(true), 1 << 16);
                in = new DicomInput(new CappedInputStream(inflated, limits.maxInflatedBytes(),
                        Math.min(ReaderLimits.INFLATION_ALLOWANCE, limits.maxInflatedBytes()),
                        limits.maxInflationRatio(), deflated::count), start, -1);
                parser = new DatasetParser(in, limits, warnings);
            }
            in.bigEndian(ts.bigEndian());
            boolean explicit = ts.explicitVr();
            if (in.request(6)) {
                boolean looksExplicit = VR.of(in.peek(4), in.peek(5)) != null;
                if (looksExplicit != explicit) {
                    warnings.add("dataset is " + (looksExplicit ? "explicit" : "implicit")
                            + " VR although the transfer syntax says otherwise; reading it as it is");
                    explicit = looksExplicit;
                }
            }
            dataset = new DicomDataset(null, ts.bigEndian());
            parser.readTopLevel(dataset, explicit);
            DicomHeader header = new DicomHeader(meta, dataset, ts, inferred, parser.pixelData(), warnings);
            return new DicomStream(header, in.rest());
        } catch (DicomParseException e) {
            throw e.withPartialHeader(partialHeader(meta, dataset, ts, warnings));
        } catch (EOFException e) {
            throw new DicomParseException(in.position(), parser.currentTag(), "unexpected end of data", e)
                    .withPartialHeader(partialHeader(meta, dataset, ts, warnings));
        } catch (CappedInputStream.LimitExceeded e) {
            throw new DicomParseException(in.position(), parser.currentTag(), "deflated data " + e.getMessage(), e)
                    .withPartialHeader(partialHeader(meta, dataset, ts, warnings));
        } catch (java.util.zip.ZipException e) {
            throw new DicomParseException(in.position(), parser.currentTag(), "corrupt deflate stream", e)
                    .withPartialHeader(partialHeader(meta, dataset, ts, warnings));
        }
    }

    /**
     * What was read before an error, as dcmdump and pydicom show it: the elements completed so far (and the
     * items of a sequence cut short), no pixel data. The transfer syntax is the one in use, else the declared
     * one, else implicit VR little endian marked as inferred.
     */
    private static DicomHeader partialHeader(DicomDataset meta, DicomDataset dataset, TransferSyntax ts,
                                             List<String> warnings) {
        String declared = meta.string(Tags.TRANSFER_SYNTAX_UID).orElse("").strip();
        TransferSyntax syntax = ts != null ? ts
                : declared.isEmpty() ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.of(declared);
        DicomDataset top = dataset != null ? dataset : new DicomDataset(null, syntax.bigEndian());
        return new DicomHeader(meta, top, syntax, declared.isEmpty(), null, warnings);
    }

    /** Skips the 128-byte preamble and "DICM" when present; true for a Part 10 file. */
    private static boolean skipPreamble(DicomInput in) throws IOException {
        if (in.request(PREAMBLE + 4) && isDicm(in, PREAMBLE)) {
            in.skip(PREAMBLE + 4);
            return true;
        }
        if (in.request(4) && isDicm(in, 0)) {
            in.skip(4); // "DICM" without preamble, seen from some writers
            return true;
        }
        return false;
    }

    private static boolean isDicm(DicomInput in, int at) {
        return in.peek(at) == 'D' && in.peek(at + 1) == 'I' && in.peek(at + 2) == 'C' && in.peek(at + 3) == 'M';
    }

    /**
     * A bare dataset must start with a low group (0000-0008 in practice: command, file meta, identifying
     * groups); anything else (PDF, images, text) is rejected rather than parsed as garbage.
     */
    private static void requirePlausibleDatasetStart(DicomInput in) throws IOException, DicomParseException {
        if (!in.request(8)) {
            throw new DicomParseException(0, -1, "not DICOM: too short for a dataset");
        }
        int groupLe = in.peekU16(0, false);
        int groupBe = in.peekU16(0, true);
        if (groupLe > 0x0010 && groupBe > 0x0010) {
            throw new DicomParseException(0, -1,
                    "not DICOM: no \"DICM\" prefix and the data does not start with a DICOM element");
        }
    }

    /** PS3.5 defaults when no Transfer Syntax UID is given: look at how the first element is encoded. */
    private static TransferSyntax inferFromData(DicomInput in) throws IOException {
        if (!in.request(6)) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean explicit = VR.of(in.peek(4), in.peek(5)) != null;
        boolean big = in.peek(0) == 0 && in.peek(1) != 0;
        if (!explicit) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        return big ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    }
}
