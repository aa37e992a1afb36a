package io.dicomflow.common.dicom;

import io.dicomflow.common.dicom.dictionary.DataDictionary;
import io.dicomflow.common.dicom.dictionary.DictionaryEntry;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads data elements (PS3.5 section 7) from a {@link DicomInput} into {@link DicomDataset}s, down to
 * any sequence depth within the limits. One parser reads one file; it is not thread-safe.
 */
final class DatasetParser {
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final DicomInput in;
    private final ReaderLimits limits;
    private final DataDictionary dictionary = DataDictionary.standard();
    private final List<String> warnings;
    private int elementCount;
    private long retainedBytes;
    private int currentTag = -1;
    private PixelDataInfo pixelData;

    DatasetParser(DicomInput in, ReaderLimits limits, List<String> warnings) {
        this.in = in;
        this.limits = limits;
        this.warnings = warnings;
    }

    int currentTag() {
        return currentTag;
    }

    /** The top-level pixel data element the parse stopped at, or null. */
    PixelDataInfo pixelData() {
        return pixelData;
    }

    DicomParseException error(String reason) {
        return new DicomParseException(in.position(), currentTag, reason);
    }

    /**
     * Reads the File Meta Information: the group 0002 elements at the current position, always
     * explicit VR little endian (PS3.10 7.1), tolerating implicit VR as some writers produce.
     */
    void readFileMeta(DicomDataset meta) throws IOException, DicomParseException {
        in.bigEndian(false);
        while (in.request(2) && in.peekU16(0, false) == 0x0002) {
            if (!in.request(8)) {
                if (in.request(4)) {
                    currentTag = peekTag(); // the element cut short, not the one before it
                }
                throw error("File Meta Information ends inside an element header");
            }
            boolean explicit = VR.of(in.peek(4), in.peek(5)) != null;
            readElement(meta, explicit, 0, true);
        }
    }

    /**
     * Reads the top-level dataset until the end of the data or the top-level pixel data element,
     * in front of whose value the input is left.
     */
    void readTopLevel(DicomDataset target, boolean explicit) throws IOException, DicomParseException {
        while (true) {
            if (!in.request(8)) {
                if (!in.atEnd()) {
                    warnings.add("ignored " + (in.remaining() == Long.MAX_VALUE ? "a few" : in.remaining())
                            + " trailing bytes at offset " + in.position());
                }
                return;
            }
            int tag = peekTag();
            if (tag == Tags.ITEM_DELIMITATION || tag == Tags.SEQUENCE_DELIMITATION) {
                // stray delimiter at the top level (seen in the wild): skip it
                currentTag = in.tag();
                in.u32();
                warnings.add("stray delimiter " + Tags.format(tag) + " at top level");
                continue;
            }
            if (readElement(target, explicit, 0, true)) {
                return;
            }
        }
    }

    private int peekTag() {
        boolean big = in.bigEndian();
        return in.peekU16(0, big) << 16 | in.peekU16(2, big);
    }

    /**
     * Reads one element into target. Returns true when it was the top-level pixel data element, whose
     * value is left unread.
     */
    private boolean readElement(DicomDataset target, boolean explicit, int depth, boolean topLevel)
            throws IOException, DicomParseException {
        long start = in.position();
        int tag = in.tag();
        currentTag = tag;
        if (++elementCount > limits.maxElements()) {
            throw error("more than " + limits.maxElements() + " elements");
        }
        VR vr;
        long length;
        boolean elementExplicit = explicit;
        if (explicit && !in.request(2)) {
            throw new EOFException();
        }
        boolean unknownVr = false;
        if (explicit && VR.of(in.peek(0), in.peek(1)) == null) {
            if (isPrintable(in.peek(0)) && isPrintable(in.peek(1))) {
                // an unknown or blank VR code ("  ", lower case): keep the explicit layout with a 16-bit
                // length, as DCMTK and pydicom do, and take the VR from the dictionary
                unknownVr = true;
                warnings.add("element " + Tags.format(tag) + " at offset " + start + " has an unknown VR code");
            } else {
                // some writers mix implicit elements into explicit data; read this one as implicit
                elementExplicit = false;
                warnings.add("element " + Tags.format(tag) + " at offset " + start + " has no VR; read as implicit");
            }
        }
        if (unknownVr) {
            in.u16();
            length = in.u16();
            vr = implicitVr(tag, length);
        } else if (elementExplicit) {
            vr = VR.of(in.u8(), in.u8());
            if (vr.hasLongHeader()) {
                in.u16();
                length = in.u32();
            } else {
                length = in.u16();
            }
        } else {
            length = in.u32();
            vr = implicitVr(tag, length);
        }
        long valueOffset = in.position();
        if (topLevel && depth == 0 && Tags.isPixelData(tag)) {
            if (length != UNDEFINED && length > in.remaining()) {
                warnings.add("pixel data length " + length + " exceeds the " + in.remaining() + " bytes left");
            }
            pixelData = new PixelDataInfo(tag, vr, valueOffset, length == UNDEFINED ? -1 : length);
            return true;
        }
        if (length == UNDEFINED) {
            if (tag == Tags.PIXEL_DATA || (vr != VR.SQ && vr != VR.UN && vr.kind() == VR.Kind.OPAQUE)) {
                // encapsulated pixel data nested in a sequence (e.g. an icon): skip its fragments
                skipFragments();
                target.add(new DicomElement(tag, vr, valueOffset, -1, null, List.of()));
                return false;
            }
            // SQ, or UN of undefined length: a sequence; inside UN it is implicit VR little endian (PS3.5 6.2.2)
            boolean innerExplicit = vr == VR.SQ && explicit;
            List<DicomDataset> items = new ArrayList<>();
            try {
                readSequence(-1, innerExplicit, depth + 1, target, items);
            } finally {
                // also when the sequence is cut short: the items read so far are part of a partial result
                target.add(new DicomElement(tag, VR.SQ, valueOffset, -1, null, items));
            }
            return false;
        }
        if (length > in.remaining() && !(topLevel && depth == 0 && vr != VR.SQ)) {
            throw error("value length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        if (vr == VR.SQ) {
            List<DicomDataset> items = new ArrayList<>();
            try {
                readSequence(valueOffset + length, explicit, depth + 1, target, items);
            } finally {
                target.add(new DicomElement(tag, VR.SQ, valueOffset, length, null, items));
            }
            return false;
        }
        if (length > limits.maxInlineValueBytes()) {
            in.skip(Math.min(length, in.remaining()));
            target.add(new DicomElement(tag, vr, valueOffset, length, null, List.of()));
            return false;
        }
        retainedBytes += length;
        if (retainedBytes > limits.maxRetainedBytes()) {
            throw error("header values exceed " + limits.maxRetainedBytes() + " bytes");
        }
        byte[] value;
        if (topLevel && depth == 0) {
            // the last top-level value may be cut short by the end of the file; keep what is there
            // (as pydicom does) and say so, rather than losing every attribute read before it
            value = in.bytesUpTo((int) length);
            if (value.length < length) {
                warnings.add("value of " + Tags.format(tag) + " truncated: " + value.length + " of " + length
                        + " bytes present");
            }
        } else {
            value = in.bytes((int) length);
        }
        target.add(new DicomElement(tag, vr, valueOffset, length, value, List.of()));
        return false;
    }

    private static boolean isPrintable(int b) {
        return b >= 0x20 && b <= 0x7E;
    }

    /** VR of an implicit-VR element: from the dictionary, with PS3.5 rules for private and group length tags. */
    private VR implicitVr(int tag, long length) {
        if (Tags.element(tag) == 0) {
            return VR.UL; // group length
        }
        if (Tags.isPrivateCreator(tag)) {
            return VR.LO;
        }
        if (Tags.isPrivate(tag)) {
            return length == UNDEFINED ? VR.SQ : VR.UN;
        }
        DictionaryEntry entry = dictionary.lookup(tag);
        if (entry == null) {
            return length == UNDEFINED ? VR.SQ : VR.UN;
        }
        return entry.defaultVr();
    }

    /**
     * Reads the items of a sequence. end is the offset after the sequence for a defined length, or -1
     * when the sequence ends with a Sequence Delimitation Item.
     */
    private void readSequence(long end, boolean explicit, int depth, DicomDataset parent, List<DicomDataset> items)
            throws IOException, DicomParseException {
        if (depth > limits.maxDepth()) {
            throw error("sequences nested deeper than " + limits.maxDepth() + " levels");
        }
        int sequenceTag = currentTag;
        while (end < 0 || in.position() < end) {
            if (end < 0 && in.atEnd()) {
                warnings.add("end of data inside sequence " + Tags.format(sequenceTag));
                return;
            }
            currentTag = sequenceTag;
            int itemTag = in.tag();
            long itemLength = in.u32();
            if (itemTag == Tags.SEQUENCE_DELIMITATION) {
                if (end < 0) {
                    return;
                }
                continue; // tolerated inside a defined-length sequence
            }
            if (itemTag != Tags.ITEM) {
                currentTag = itemTag;
                throw error("expected an item (FFFE,E000) in sequence " + Tags.format(sequenceTag));
            }
            // items count with elements: an empty item is 8 bytes of input but a dataset object in memory
            if (++elementCount > limits.maxElements()) {
                throw error("more than " + limits.maxElements() + " elements and items");
            }
            DicomDataset item = new DicomDataset(parent, in.bigEndian());
            if (itemLength == UNDEFINED) {
                items.add(item);
                readItem(item, -1, explicit, depth);
            } else {
                long itemEnd = in.position() + itemLength;
                if (end >= 0 && itemEnd > end) {
                    throw error("item length " + itemLength + " runs past the end of its sequence");
                }
                if (itemLength > in.remaining()) {
                    throw error("item length " + itemLength + " exceeds the " + in.remaining() + " bytes left");
                }
                items.add(item);
                readItem(item, itemEnd, explicit, depth);
            }
            currentTag = sequenceTag;
        }
        if (end >= 0 && in.position() > end) {
            throw error("sequence items run past the sequence length");
        }
    }

    private void readItem(DicomDataset item, long end, boolean explicit, int depth)
            throws IOException, DicomParseException {
        while (end < 0 || in.position() < end) {
            if (end < 0 && !in.request(8)) {
                if (in.atEnd()) {
                    warnings.add("end of data inside an item");
                    return;
                }
                throw new EOFException();
            }
            if (end < 0 && peekTag() == Tags.ITEM_DELIMITATION) {
                in.tag();
                in.u32();
                return;
            }
            if (end >= 0 && in.request(4) && peekTag() == Tags.ITEM_DELIMITATION) {
                in.tag();
                in.u32();
                continue;
            }
            readElement(item, explicit, depth, false);
        }
        if (in.position() > end) {
            throw error("item elements run past the item length");
        }
    }

    /** Skips encapsulated fragments up to and including the Sequence Delimitation Item. */
    private void skipFragments() throws IOException, DicomParseException {
        while (true) {
            int itemTag = in.tag();
            long len = in.u32();
            if (itemTag == Tags.SEQUENCE_DELIMITATION) {
                return;
            }
            if (itemTag != Tags.ITEM || len == UNDEFINED) {
                throw error("bad fragment item " + Tags.format(itemTag));
            }
            if (len > in.remaining()) {
                throw error("fragment length " + len + " exceeds the " + in.remaining() + " bytes left");
            }
            in.skip(len);
        }
    }
}
