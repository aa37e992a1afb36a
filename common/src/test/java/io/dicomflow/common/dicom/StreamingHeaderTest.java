package io.dicomflow.common.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The header of a 2 GB multi-frame is read without touching the pixel data: constant memory. */
class StreamingHeaderTest {
    /** An endless stream of zeros that counts what was read from it. */
    static final class Zeros extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 0);
            read += len;
            return len;
        }
    }

    @Test
    void twoGigabyteMultiFrameHeaderInConstantMemory() throws Exception {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[128]);
        header.writeBytes("DICM".getBytes());
        header.writeBytes(element(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1\0"));
        header.writeBytes(element(0x0028, 0x0008, "IS", "8192"));
        header.writeBytes(element(0x0028, 0x0010, "US", new byte[] {0, 2}));
        header.writeBytes(element(0x0028, 0x0011, "US", new byte[] {0, 2}));
        header.writeBytes(element(0x0028, 0x0100, "US", new byte[] {8, 0}));
        long pixelBytes = 512L * 512 * 8192; // 2 GiB
        ByteBuffer pixel = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        pixel.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'B').putShort((short) 0)
                .putInt((int) pixelBytes);
        header.writeBytes(pixel.array());
        Zeros zeros = new Zeros();
        InputStream in = new SequenceInputStream(new java.io.ByteArrayInputStream(header.toByteArray()), zeros);
        DicomHeader h = DicomReader.create().readHeader(in);
        assertThat(h.integer("NumberOfFrames")).hasValue(8192);
        assertThat(h.pixelData()).get().extracting(PixelDataInfo::length).isEqualTo(pixelBytes & 0xFFFFFFFFL);
        assertThat(zeros.read).as("pixel bytes read while parsing the header").isLessThan(1 << 17);
    }

    private static byte[] element(int group, int element, String vr, String value) {
        return element(group, element, vr, value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] element(int group, int element, String vr, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) group).putShort((short) element).put((byte) vr.charAt(0)).put((byte) vr.charAt(1))
                .putShort((short) value.length).put(value);
        return b.array();
    }
}
