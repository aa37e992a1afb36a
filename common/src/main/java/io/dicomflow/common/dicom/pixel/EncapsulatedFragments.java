package io.dicomflow.common.dicom.pixel;

import io.dicomflow.common.dicom.DicomHeader;
import io.dicomflow.common.dicom.DicomParseException;
import io.dicomflow.common.dicom.PixelDataInfo;
import io.dicomflow.common.dicom.Tags;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads encapsulated pixel data (PS3.5 A.4) frame by frame: the Basic Offset Table item, then fragment
 * items up to the Sequence Delimitation Item. Fragments are grouped into frames by, in order of trust,
 * the Extended Offset Table (7FE0,0001), the Basic Offset Table (each used only when its offsets start
 * at 0 and increase), or else the codestream markers of the codec (see {@link Boundaries}). A single
 * frame takes all fragments.
 */
final class EncapsulatedFragments {
    /** How the codestreams of a codec show where a frame starts and ends. */
    enum Boundaries {
        /** RLE and deflate: PS3.5 A.4 puts each frame in exactly one fragment. */
        ONE_FRAGMENT {
            @Override
            boolean startsFrame(byte[] fragment, byte[] frameSoFar, int frameLength) {
                return true;
            }
        },
        /**
         * JPEG processes and JPEG-LS: a frame starts with SOI (FFD8). Entropy-coded data never holds FF
         * followed by D8, so a fragment starting with SOI is a new frame even when the previous frame
         * was cut short before its EOI.
         */
        JPEG {
            @Override
            boolean startsFrame(byte[] fragment, byte[] frameSoFar, int frameLength) {
                return fragment.length >= 2 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0xD8;
            }
        },
        /**
         * JPEG 2000: a frame is a codestream from SOC (FF4F) to EOC (FFD9), or a JP2 file. Packet data may
         * hold FF 4F, so a fragment starting with SOC begins a new frame only when the frame so far
         * ends with EOC (a padding byte after it allowed).
         */
        JPEG_2000 {
            @Override
            boolean startsFrame(byte[] fragment, byte[] frameSoFar, int frameLength) {
                boolean soc = fragment.length >= 2 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0x4F;
                boolean jp2 = fragment.length >= 12 && fragment[4] == 'j' && fragment[5] == 'P'
                        && fragment[6] == ' ' && fragment[7] == ' ';
                return (soc || jp2) && endsWithEoc(frameSoFar, frameLength);
            }
        };

        /** Whether {@code fragment} begins the next frame, given the bytes of the frame collected so far. */
        abstract boolean startsFrame(byte[] fragment, byte[] frameSoFar, int frameLength);

        private static boolean endsWithEoc(byte[] b, int n) {
            int end = n >= 1 && b[n - 1] == 0 ? n - 1 : n; // fragments have even length: one pad byte
            return end >= 2 && (b[end - 2] & 0xFF) == 0xFF && (b[end - 1] & 0xFF) == 0xD9;
        }
    }

    /** Largest compressed frame accepted (a forged fragment length must not become an allocation). */
    static final int MAX_FRAME_BYTES = 1 << 29;

    private final InputStream in;
    private final PixelDataInfo info;
    private final int frames;
    private final Boundaries boundaries;
    private final long[] frameOffsets;
    private long position;
    private byte[] pendingFragment;
    private boolean ended;
    private int framesRead;

    EncapsulatedFragments(InputStream in, DicomHeader header, int frames, Boundaries boundaries)
            throws IOException, DicomParseException {
        this.in = in;
        this.boundaries = boundaries;
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
        this.frameOffsets = offsets != null && plausible(offsets, frames) ? offsets : null;
        this.position = 0; // offsets count from the first byte of the first fragment item
    }

    /**
     * An offset table is used only if it starts at the first fragment and increases: a corrupt table must
     * not swallow or split frames when the markers would find them.
     */
    private static boolean plausible(long[] offsets, int frames) {
        if (offsets.length < frames || offsets[0] != 0) {
            return false;
        }
        for (int i = 1; i < frames; i++) {
            if (offsets[i] <= offsets[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** The compressed bytes of the next frame, or null when the fragments are exhausted. */
    byte[] nextFrame() throws IOException, DicomParseException {
        if (framesRead >= frames) {
            return null;
        }
        byte[] first = pendingFragment != null ? pendingFragment : readFragment();
        pendingFragment = null;
        if (first == null) {
            return null;
        }
        Collected frame = new Collected(first.length);
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
                belongsToNext = boundaries.startsFrame(fragment, frame.buffer(), frame.size());
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

    /** A byte collector whose buffer can be inspected without copying. */
    private static final class Collected extends ByteArrayOutputStream {
        Collected(int size) {
            super(size);
        }

        byte[] buffer() {
            return buf;
        }
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
