package io.dicomflow.common.analysis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer for 8-bit greyscale or RGB images (PNG specification, W3C / ISO/IEC 15948: signature,
 * IHDR, one IDAT, IEND; every scanline with filter type 1, "Sub"). It replaces {@code ImageIO.write}, which per
 * image looks the writer up in the service registry, by default buffers through a temporary file, and tries
 * every filter on every row at a high deflate level: for a 256-pixel thumbnail that was most of the cost of
 * analysing a 512x512 CT slice (≈ 2.7–3.8 ms of CPU against ≈ 0.4 ms here for a 256x256 noisy slice, same size
 * within 3 %). The decoded pixels are the same whichever way they were encoded.
 */
final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngEncoder() {
    }

    /**
     * @param width    pixels per row
     * @param height   rows
     * @param channels 1 (grey) or 3 (RGB)
     * @param samples  {@code width * height * channels} bytes, row by row, channels interleaved
     */
    static byte[] encode(int width, int height, int channels, byte[] samples) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3");
        }
        int stride = width * channels;
        if (samples.length != stride * height) {
            throw new IllegalArgumentException("expected " + stride * height + " samples, got " + samples.length);
        }
        byte[] filtered = new byte[(stride + 1) * height];
        int out = 0;
        for (int y = 0; y < height; y++) {
            int row = y * stride;
            filtered[out++] = 1; // Sub: each byte minus the byte of the same channel one pixel to the left
            for (int x = 0; x < stride; x++) {
                int left = (x >= channels) ? samples[row + x - channels] : 0;
                filtered[out++] = (byte) (samples[row + x] - left);
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        // after the Sub filter a medical image is mostly small residuals with noise: Huffman coding alone
        // compresses them as well as LZ77 matching (within 3 % on a CT-like slice) at a third of the CPU
        deflater.setStrategy(Deflater.HUFFMAN_ONLY);
        byte[] compressed;
        try {
            deflater.setInput(filtered);
            deflater.finish();
            ByteArrayOutputStream zlib = new ByteArrayOutputStream(filtered.length / 2 + 64);
            byte[] buffer = new byte[16384];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                zlib.write(buffer, 0, n);
            }
            compressed = zlib.toByteArray();
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.length + 64);
        png.writeBytes(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8; // bit depth
        header[9] = (byte) ((channels == 1) ? 0 : 2); // colour type: greyscale or truecolour
        // compression method 0, filter method 0, no interlace: the remaining bytes stay 0
        chunk(png, "IHDR", header);
        chunk(png, "IDAT", compressed);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        byte[] check = new byte[4];
        putInt(check, 0, (int) crc.getValue());
        png.writeBytes(length);
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(check);
    }

    private static void putInt(byte[] target, int offset, int value) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }
}
