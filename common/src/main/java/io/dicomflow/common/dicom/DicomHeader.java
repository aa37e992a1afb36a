package io.dicomflow.common.dicom;

import io.dicomflow.common.dicom.dictionary.DataDictionary;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The parsed attributes of a DICOM file or stream: File Meta Information (group 0002) and the top-level
 * dataset up to the pixel data, whose value is not read. Keyword lookups use the PS3.6 keywords of the
 * {@link DataDictionary}; an unknown keyword is a programming error (IllegalArgumentException).
 */
public final class DicomHeader {
    private final DicomDataset fileMeta;
    private final DicomDataset dataset;
    private final TransferSyntax transferSyntax;
    private final boolean transferSyntaxInferred;
    private final PixelDataInfo pixelData;
    private final List<String> warnings;

    DicomHeader(DicomDataset fileMeta, DicomDataset dataset, TransferSyntax transferSyntax,
                boolean transferSyntaxInferred, PixelDataInfo pixelData, List<String> warnings) {
        this.fileMeta = fileMeta;
        this.dataset = dataset;
        this.transferSyntax = transferSyntax;
        this.transferSyntaxInferred = transferSyntaxInferred;
        this.pixelData = pixelData;
        this.warnings = List.copyOf(warnings);
    }

    /** The Transfer Syntax UID of the File Meta Information, or the one inferred from the data. */
    public String transferSyntaxUid() {
        return transferSyntax.uid();
    }

    public TransferSyntax transferSyntax() {
        return transferSyntax;
    }

    /** True when there was no (0002,0010) and the transfer syntax was inferred from the encoding. */
    public boolean transferSyntaxInferred() {
        return transferSyntaxInferred;
    }

    /** File Meta Information (group 0002); empty for bare datasets. */
    public DicomDataset fileMeta() {
        return fileMeta;
    }

    /** The top-level dataset (without the pixel data value). */
    public DicomDataset dataset() {
        return dataset;
    }

    /** Decoded text of the element (values joined with a backslash); numbers in decimal for binary VRs. */
    public Optional<String> string(String keyword) {
        return string(tag(keyword));
    }

    public Optional<String> string(int tag) {
        return datasetOf(tag).string(tag);
    }

    /** All values of the element as text. */
    public List<String> strings(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).strings(tag);
    }

    /** The first value as an int, for US/SS/UL/SL and whole-number IS/DS text. */
    public OptionalInt integer(String keyword) {
        return integer(tag(keyword));
    }

    public OptionalInt integer(int tag) {
        return datasetOf(tag).integer(tag);
    }

    /** The first value as a double, for DS/IS text and numeric binary VRs. */
    public OptionalDouble decimal(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).decimal(tag);
    }

    /** DA value as a date; empty when absent or not a valid date. */
    public Optional<java.time.LocalDate> date(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).date(tag);
    }

    /** TM value as a time; empty when absent or invalid. */
    public Optional<java.time.LocalTime> time(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).time(tag);
    }

    /** DT value: LocalDateTime, or OffsetDateTime when it carries a UTC offset; empty when absent or invalid. */
    public Optional<java.time.temporal.Temporal> dateTime(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).dateTime(tag);
    }

    /** The first PN value split into alphabetic/ideographic/phonetic groups. */
    public Optional<PersonName> personName(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).personNames(tag).stream().findFirst();
    }

    public boolean contains(String keyword) {
        return contains(tag(keyword));
    }

    public boolean contains(int tag) {
        return datasetOf(tag).contains(tag) || (tag == Tags.PIXEL_DATA && pixelData != null);
    }

    /** The items of a sequence attribute. */
    public List<DicomDataset> items(String keyword) {
        int tag = tag(keyword);
        return datasetOf(tag).items(tag);
    }

    /** Whether the file has Pixel Data, Float Pixel Data or Double Float Pixel Data at the top level. */
    public boolean hasPixelData() {
        return pixelData != null;
    }

    public Optional<PixelDataInfo> pixelData() {
        return Optional.ofNullable(pixelData);
    }

    /** Anomalies the reader tolerated (e.g. a missing delimiter at the end of the data). No values in them. */
    public List<String> warnings() {
        return warnings;
    }

    private DicomDataset datasetOf(int tag) {
        return Tags.group(tag) == 0x0002 ? fileMeta : dataset;
    }

    private static int tag(String keyword) {
        return DataDictionary.standard().tagOf(keyword);
    }

    @Override
    public String toString() {
        return "DicomHeader[" + transferSyntax.uid() + ", " + dataset.size() + " elements"
                + (pixelData != null ? ", pixel data at " + pixelData.valueOffset() : "") + "]";
    }
}
