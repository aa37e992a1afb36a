package io.dicomflow.common.dicom.pixel;

/**
 * One decoded frame of stored values, samples interleaved (R,G,B,R,G,B... for colour, whatever the
 * Planar Configuration of the source). Integer data is in {@code ints}: masked to Bits Stored and sign
 * extended; when {@code unsigned32} the ints hold unsigned 32-bit values. Float pixel data is in
 * {@code doubles}. Buffers are reused between frames by decoders: copy what you keep.
 *
 * @param index      frame number, from 0
 * @param ints       integer values, or null for float data
 * @param doubles    float values, or null for integer data
 * @param count      number of values in the frame
 * @param unsigned32 whether ints are to be read as unsigned (32-bit unsigned data)
 */
public record Frame(int index, int[] ints, double[] doubles, int count, boolean unsigned32) {
    public boolean isFloat() {
        return doubles != null;
    }

    /** The value at i as a double. */
    public double value(int i) {
        if (doubles != null) {
            return doubles[i];
        }
        return unsigned32 ? Integer.toUnsignedLong(ints[i]) : ints[i];
    }
}
