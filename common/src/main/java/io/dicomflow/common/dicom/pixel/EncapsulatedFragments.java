package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.Tags;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Predicate;

/**
 * Reads encapsulated pixel data (PS3.5 A.4) frame by frame: the Basic Offset Table item, then fragment
 * items up to the Sequence Delimitation Item. Fragments are grouped into frames by, in order of trust,
 * the Extended Offset Table (7FE0,0001), the Basic Offset Table, one fragment per frame when the counts
 * agree, or the codec's start-of-image marker at the start of a fragment.
 */
final class EncapsulatedFragments {
    /** Largest compressed frame accepted (a forged fragment length must not become an allocation). */
    static final int MAX_FRAME_BYTES = 1 << 29;

    private final InputStream in;
    private final PixelDataInfo info;
    private final int frames;
    private final long[] frameOffsets;
    private long position;
    private byte[] pendingFragment;
    private boolean ended;
    private int framesRead;

    EncapsulatedFragments(InputStream in, DicomHeader header, int frames) throws IOException, DicomParseException {
        this.in = in;
        this.info = header.pixelData().orElseThrow();
        this.frames = frames;
        int tag = readTag();
        long botLength = u32();
        if (tag != Tags.ITEM) {
            throw error("encapsulated pixel data does not start with the Basic Offset Table item");
        }
        byte[] bot = fragmentBytes(botLength);
        long[] offsets = null;
        long[] eot = header.dataset().longs(Tags.EXTENDED_OFFSET_TABLE);
        if (eot.length == frames && frames > 0) {
            offsets = eot;
        } else if (bot.length >= 4L * frames && frames > 1) {
            offsets = new long[bot.length / 4];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = (bot[4 * i] & 0xFFL) | (bot[4 * i + 1] & 0xFFL) << 8 | (bot[4 * i + 2] & 0xFFL) << 16
                        | (bot[4 * i + 3] & 0xFFL) << 24;
            }
        }
        this.frameOffsets = offsets;
        this.position = 0; // offsets count from the first byte of the first fragment item
    }

    /**
     * The compressed bytes of the next frame, or null when the fragments are exhausted.
     * {@code startsImage} tells whether a fragment begins a new codestream (used without offset tables).
     */
    byte[] nextFrame(Predicate<byte[]> startsImage) throws IOException, DicomParseException {
        if (framesRead >= frames) {
            return null;
        }
        byte[] first = pendingFragment != null ? pendingFragment : readFragment();
        pendingFragment = null;
        if (first == null) {
            return null;
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(first.length);
        frame.write(first, 0, first.length);
        boolean last = framesRead + 1 >= frames;
        long nextStart = frameOffsets != null && !last && framesRead + 1 < frameOffsets.length
                ? frameOffsets[framesRead + 1] : -1;
        while (true) {
            long itemOffset = position;
            byte[] fragment = readFragment();
            if (fragment == null) {
                break;
            }
            boolean belongsToNext;
            if (last) {
                belongsToNext = false;
            } else if (nextStart >= 0) {
                belongsToNext = itemOffset >= nextStart;
            } else {
                belongsToNext = startsImage.test(fragment);
            }
            if (belongsToNext) {
                pendingFragment = fragment;
                break;
            }
            if (frame.size() + (long) fragment.length > MAX_FRAME_BYTES) {
                throw error("compressed frame larger than " + MAX_FRAME_BYTES + " bytes");
            }
            frame.write(fragment, 0, fragment.length);
        }
        framesRead++;
        return frame.toByteArray();
    }

    /** The next fragment's bytes, or null at the Sequence Delimitation Item (or the end of the data). */
    private byte[] readFragment() throws IOException, DicomParseException {
        if (ended) {
            return null;
        }
        int tag = readTag();
        long length = u32();
        if (tag == Tags.SEQUENCE_DELIMITATION) {
            ended = true;
            return null;
        }
        if (tag != Tags.ITEM) {
            throw error("expected a fragment item, found " + Tags.format(tag));
        }
        return fragmentBytes(length);
    }

    private DicomParseException error(String reason) {
        return new DicomParseException(info.valueOffset() + position, info.tag(), reason);
    }

    private int readTag() throws IOException, DicomParseException {
        int g = u16();
        int e = u16();
        return g << 16 | e;
    }

    private int u16() throws IOException, DicomParseException {
        int a = in.read();
        int b = in.read();
        if ((a | b) < 0) {
            throw new DicomParseException(info.valueOffset() + position, info.tag(),
                    "encapsulated pixel data ends early", new EOFException());
        }
        position += 2;
        return b << 8 | a;
    }

    private long u32() throws IOException, DicomParseException {
        long lo = u16();
        long hi = u16();
        return hi << 16 | lo;
    }

    private byte[] fragmentBytes(long length) throws IOException, DicomParseException {
        if (length > MAX_FRAME_BYTES || length == 0xFFFFFFFFL) {
            throw error("fragment length " + length + " is not acceptable");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, 1 << 16));
        byte[] buf = new byte[(int) Math.min(Math.max(length, 1), 1 << 16)];
        long left = length;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new DicomParseException(info.valueOffset() + position, info.tag(),
                        "fragment ends early: " + left + " bytes missing", new EOFException());
            }
            out.write(buf, 0, r);
            left -= r;
            position += r;
        }
        return out.toByteArray();
    }
}
