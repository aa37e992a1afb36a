package io.dicomflow.common.dicom;

/** Decoding of fixed-size binary values (US, SS, UL, SL, UV, SV, FL, FD, AT and the O* VRs). */
final class BinaryValues {
    private BinaryValues() {
    }

    static long[] longs(byte[] v, VR vr, boolean big) {
        int size = switch (vr) {
            case US, SS, OW -> 2;
            case UL, SL, AT, OL, FL, OF -> 4;
            case UV, SV, OV, FD, OD -> 8;
            default -> 1;
        };
        int n = v.length / size;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long raw = read(v, i * size, size, big);
            out[i] = switch (vr) {
                case SS -> (short) raw;
                case SL -> (int) raw;
                case AT -> {
                    // a tag is two 16-bit numbers, group first, each in the dataset byte order
                    long g = read(v, i * size, 2, big);
                    long el = read(v, i * size + 2, 2, big);
                    yield g << 16 | el;
                }
                default -> raw;
            };
        }
        return out;
    }

    static double[] doubles(byte[] v, VR vr, boolean big) {
        int size = (vr == VR.FD || vr == VR.OD) ? 8 : 4;
        int n = v.length / size;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            long raw = read(v, i * size, size, big);
            out[i] = size == 8 ? Double.longBitsToDouble(raw) : Float.intBitsToFloat((int) raw);
        }
        return out;
    }

    static long read(byte[] v, int off, int size, boolean big) {
        long r = 0;
        if (big) {
            for (int i = 0; i < size; i++) {
                r = r << 8 | (v[off + i] & 0xFF);
            }
        } else {
            for (int i = size - 1; i >= 0; i--) {
                r = r << 8 | (v[off + i] & 0xFF);
            }
        }
        return r;
    }
}
