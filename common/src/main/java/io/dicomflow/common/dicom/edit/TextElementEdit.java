package io.dicomflow.common.dicom.edit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.dicomflow.common.dicom.DicomDataset;
import io.dicomflow.common.dicom.DicomElement;
import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.DicomReader;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.Tags;
import io.dicomflow.common.dicom.TransferSyntax;
import io.dicomflow.common.dicom.VR;

/**
 * Writes a copy of a Part 10 file in which one top-level text element has a new value: the element is
 * replaced where it is, or inserted in tag order, encoded in the file's transfer syntax (implicit or explicit
 * VR, little or big endian) and character set; every other byte is copied unchanged, and a group length of
 * the element's group, if the file has one, is adjusted. The copy is read back before it is kept: it must
 * parse, hold the new value, and have the original's other elements.
 *
 * <p>Deflated files are refused (the data set would have to be re-compressed), as are bare data sets without
 * File Meta Information (they are not Part 10 files).
 */
public final class TextElementEdit {

    private final DicomReader reader;

    public TextElementEdit(DicomReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * @param source the original, left untouched
     * @param target the copy; must not exist (it is never overwritten)
     * @param tag    a top-level element of a text VR (not in group 0002)
     * @param vr     its VR, used for the encoding (explicit VR) and the padding
     * @param value  the new value, a single value; empty for a zero-length element
     * @throws EditException when the file cannot be edited this way, or the value cannot be encoded in it
     */
    public void copyWith(Path source, Path target, int tag, VR vr, String value) throws IOException, DicomParseException {
        Objects.requireNonNull(value, "value");
        if (!vr.isText() || Tags.group(tag) == 0x0002 || Tags.isPixelData(tag)) {
            throw new IllegalArgumentException(Tags.format(tag) + " " + vr + " is not a data set text element");
        }
        if (Files.exists(target)) {
            throw new EditException("will not overwrite " + target);
        }
        DicomHeader header = reader.readHeader(source);
        requireEditable(header);
        TransferSyntax syntax = header.transferSyntax();
        DicomDataset dataset = header.dataset();
        byte[] encoded = encode(value, vr, dataset);
        ByteOrder order = syntax.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] element = element(tag, vr, encoded, syntax.explicitVr(), order);

        long fileSize = Files.size(source);
        long start;
        long end;
        int tagAtStart;
        Optional<DicomElement> existing = dataset.element(tag);
        if (existing.isPresent()) {
            DicomElement old = existing.get();
            if (old.length() < 0 || old.value() == null) {
                throw new EditException(Tags.format(tag) + " has a value that cannot be replaced in place");
            }
            start = old.valueOffset() - headerLength(old.vr(), syntax);
            end = old.valueOffset() + old.length();
            tagAtStart = tag;
        } else {
            // in front of the first element with a larger tag, of the pixel data, or at the end
            start = fileSize;
            tagAtStart = -1;
            Optional<DicomElement> next = dataset.elements().stream()
                    .filter(e -> Integer.compareUnsigned(e.tag(), tag) > 0).findFirst();
            if (next.isPresent()) {
                start = next.get().valueOffset() - headerLength(next.get().vr(), syntax);
                tagAtStart = next.get().tag();
            } else if (header.pixelData().isPresent()) {
                PixelDataInfo pixels = header.pixelData().get();
                start = pixels.valueOffset() - headerLength(pixels.vr(), syntax);
                tagAtStart = pixels.tag();
            }
            end = start;
        }
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            requireTagAt(in, start, end, fileSize, tagAtStart, order);
            long delta = element.length - (end - start);
            Optional<DicomElement> groupLength = dataset.element(tag & 0xFFFF0000);
            Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), ".edit-", ".dcm");
            try {
                try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    long position = 0;
                    if (groupLength.isPresent() && groupLength.get().length() == 4 && groupLength.get().valueOffset() < start) {
                        // the retired group length of this group still has to add up (PS3.5 7.2)
                        long offset = groupLength.get().valueOffset();
                        copy(in, position, offset, out);
                        long old = ByteBuffer.wrap(groupLength.get().value()).order(order).getInt() & 0xFFFFFFFFL;
                        out.write(ByteBuffer.allocate(4).order(order).putInt((int) (old + delta)).flip());
                        position = offset + 4;
                    }
                    copy(in, position, start, out);
                    out.write(ByteBuffer.wrap(element));
                    copy(in, end, fileSize, out);
                }
                verify(header, temporary, tag, value, existing.isEmpty());
                Files.move(temporary, target);
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Whether a file with this header can be edited at all, so that a caller can refuse before doing anything
     * else (the diagnosis command checks this before it audits a change).
     *
     * @throws EditException saying why not
     */
    public static void requireEditable(DicomHeader header) {
        TransferSyntax syntax = header.transferSyntax();
        if (header.fileMeta().size() == 0) {
            throw new EditException("not a Part 10 file (no File Meta Information)");
        }
        if (syntax.deflated()) {
            throw new EditException("the deflated transfer syntax is not supported for editing");
        }
        if (!syntax.isKnown()) {
            throw new EditException("unknown transfer syntax " + syntax.uid());
        }
    }

    private static int headerLength(VR vr, TransferSyntax syntax) {
        return syntax.explicitVr() && vr.hasLongHeader() ? 12 : 8;
    }

    /**
     * The offsets come from the parse; the bytes at {@code start} must be the header of the element expected
     * there (the one replaced, or the one the new element goes in front of), else the file is not laid out as
     * assumed (an element the reader had to read as implicit inside explicit data, for instance).
     */
    private static void requireTagAt(FileChannel in, long start, long end, long fileSize, int expected,
                                     ByteOrder order) throws IOException {
        if (start < 132 || start > end || end > fileSize) {
            throw new EditException("the element's position in the file is not where it was parsed");
        }
        if (expected == -1) {
            if (start != fileSize) {
                throw new EditException("the element's position in the file is not where it was parsed");
            }
            return;
        }
        ByteBuffer head = ByteBuffer.allocate(4).order(order);
        in.read(head, start);
        head.flip();
        if (head.remaining() < 4) {
            throw new EditException("the element's position in the file is not where it was parsed");
        }
        int tag = (head.getShort() & 0xFFFF) << 16 | (head.getShort() & 0xFFFF);
        if (tag != expected) {
            throw new EditException("the element's position in the file is not where it was parsed");
        }
    }

    private void verify(DicomHeader original, Path copy, int tag, String value, boolean inserted)
            throws IOException {
        DicomHeader written;
        try {
            written = reader.readHeader(copy);
        } catch (DicomParseException e) {
            throw new EditException("the edited copy does not parse: " + e.getMessage());
        }
        String read = written.dataset().string(tag).map(String::strip).orElse(null);
        int expectedSize = original.dataset().size() + (inserted ? 1 : 0);
        if (!value.strip().equals(read) || written.dataset().size() != expectedSize
                || written.hasPixelData() != original.hasPixelData()) {
            throw new EditException("the edited copy does not read back as written");
        }
    }

    private static void copy(FileChannel in, long from, long to, FileChannel out) throws IOException {
        long position = from;
        while (position < to) {
            long moved = in.transferTo(position, to - position, out);
            if (moved <= 0) {
                throw new IOException("the source ended at byte " + position + " while copying");
            }
            position += moved;
        }
    }

    /**
     * Text in the default repertoire (ASCII) goes into any file; other characters only into a file that declares
     * UTF-8 (ISO_IR 192) or Latin-1 (ISO_IR 100) as its one Specific Character Set.
     */
    static byte[] encode(String value, VR vr, DicomDataset dataset) {
        byte[] bytes;
        if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            bytes = value.getBytes(StandardCharsets.US_ASCII);
        } else {
            if (vr.kind() != VR.Kind.CHARSET_TEXT) {
                throw new EditException(vr + " holds the default character repertoire (ASCII) only");
            }
            List<String> terms = dataset.characterSet().terms();
            if (terms.equals(List.of("ISO_IR 192"))) {
                bytes = value.getBytes(StandardCharsets.UTF_8);
            } else if (terms.equals(List.of("ISO_IR 100")) && StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
                bytes = value.getBytes(StandardCharsets.ISO_8859_1);
            } else {
                throw new EditException("the file's Specific Character Set " + (terms.isEmpty() ? "(default, ASCII)"
                        : String.join("\\", terms)) + " cannot hold this text; use ASCII characters");
            }
        }
        if (bytes.length % 2 == 1) {
            // values have even length (PS3.5 7.1.1), padded with the VR's padding character
            byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 1);
            padded[bytes.length] = (byte) vr.padding();
            bytes = padded;
        }
        return bytes;
    }

    private static byte[] element(int tag, VR vr, byte[] value, boolean explicit, ByteOrder order) {
        boolean longHeader = explicit && vr.hasLongHeader();
        if (!longHeader && value.length > 0xFFFF) {
            throw new EditException("the value is too long for " + vr);
        }
        ByteBuffer buffer = ByteBuffer.allocate((longHeader ? 12 : 8) + value.length)
                .order(order);
        buffer.putShort((short) Tags.group(tag)).putShort((short) Tags.element(tag));
        if (explicit) {
            buffer.put((byte) vr.name().charAt(0)).put((byte) vr.name().charAt(1));
            if (longHeader) {
                buffer.putShort((short) 0).putInt(value.length);
            } else {
                buffer.putShort((short) value.length);
            }
        } else {
            buffer.putInt(value.length);
        }
        return buffer.put(value).array();
    }

    /** The file cannot be edited as asked; the message says why (no patient data in it). */
    public static final class EditException extends RuntimeException {
        public EditException(String message) {
            super(message);
        }
    }
}
