#!/usr/bin/env python3
"""Makes the JPEG-LS unit-test files: synthetic images written as native DICOM, compressed with DCMTK's
dcmcjpls (an independent JPEG-LS encoder: CharLS inside DCMTK 3.6.7), and the expected samples.

For every case NAME this writes
  NAME.dcm       the JPEG-LS DICOM file made by dcmcjpls
  NAME.raw       the original samples (what lossless decoding must give back)
  NAME.dcmtk.raw (near-lossless only) the samples DCMTK's dcmdjpls decodes, which our decoder must match
Samples are little-endian 32-bit signed ints, interleaved per pixel, frame after frame.
Run from this folder: python3 generate.py (needs dcmtk: apt-get install dcmtk); the output is deterministic.
"""
import os
import random
import struct
import subprocess
import tempfile
import zlib


def element(group, elem, vr, value):
    if isinstance(value, str):
        value = value.encode('ascii')
        if len(value) % 2:
            value += b'\0' if vr == 'UI' else b' '
    head = struct.pack('<HH', group, elem) + vr.encode('ascii')
    if vr in ('OB', 'OW', 'SQ', 'UN', 'UT'):
        return head + b'\0\0' + struct.pack('<I', len(value)) + value
    return head + struct.pack('<H', len(value)) + value


def us(v):
    return struct.pack('<H', v)


def native_dicom(rows, cols, spp, bits_alloc, bits_stored, signed, frames, samples):
    uid = '1.2.826.0.1.3680043.10.1234.' + str(random.randint(1, 10**9))
    meta = (element(2, 1, 'OB', b'\0\1') + element(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.7')
            + element(2, 3, 'UI', uid) + element(2, 0x10, 'UI', '1.2.840.10008.1.2.1'))
    meta = element(2, 0, 'UL', struct.pack('<I', len(meta))) + meta
    ds = element(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.7') + element(8, 0x18, 'UI', uid)
    ds += element(8, 0x60, 'CS', 'OT')
    ds += element(0x20, 0xD, 'UI', uid + '.1') + element(0x20, 0xE, 'UI', uid + '.2')
    ds += element(0x28, 2, 'US', us(spp))
    ds += element(0x28, 4, 'CS', 'RGB' if spp == 3 else 'MONOCHROME2')
    if spp == 3:
        ds += element(0x28, 6, 'US', us(0))
    if frames > 1:
        ds += element(0x28, 8, 'IS', str(frames))
    ds += element(0x28, 0x10, 'US', us(rows)) + element(0x28, 0x11, 'US', us(cols))
    ds += element(0x28, 0x100, 'US', us(bits_alloc)) + element(0x28, 0x101, 'US', us(bits_stored))
    ds += element(0x28, 0x102, 'US', us(bits_stored - 1)) + element(0x28, 0x103, 'US', us(1 if signed else 0))
    mask = (1 << bits_stored) - 1
    if bits_alloc == 8:
        pixels = bytes(v & mask for v in samples)
    else:
        pixels = b''.join(struct.pack('<H', v & mask) for v in samples)
    if len(pixels) % 2:
        pixels += b'\0'
    ds += element(0x7FE0, 0x10, 'OB' if bits_alloc == 8 else 'OW', pixels)
    return b'\0' * 128 + b'DICM' + meta + ds


def image(rows, cols, spp, bits, signed, frames, seed):
    """Smooth gradients, flat areas (run mode), sharp edges and a noisy band (escape codes)."""
    rnd = random.Random(seed)
    top = (1 << bits) - 1
    out = []
    for f in range(frames):
        for y in range(rows):
            for x in range(cols):
                for s in range(spp):
                    if y < rows // 4:
                        v = top // 3  # flat: long runs
                    elif y < rows // 2:
                        v = (x * top // max(1, cols - 1) + s * top // 5 + f * 7) % (top + 1)
                    elif y < 3 * rows // 4:
                        v = rnd.randint(0, top)  # noise: large errors, escape codes
                    else:
                        v = top if (x // 5 + y // 3 + s) % 2 else 0  # hard edges
                    if y == rows - 1 and x % 7 == 3:
                        v = top // 2 + s  # run interruptions on the last line
                    if signed:
                        v -= (top + 1) // 2
                    out.append(v)
    return out


CASES = [
    # name, rows, cols, spp, bits allocated, bits stored, signed, frames, dcmcjpls options, NEAR
    ('gray8', 23, 37, 1, 8, 8, False, 1, ['+el'], 0),
    ('gray8_other', 23, 37, 1, 8, 8, False, 1, ['+el'], 0),  # same size as gray8: joined for restarts
    ('gray12', 19, 33, 1, 16, 12, False, 1, ['+el', '+pc'], 0),  # cooked: P = 12, default parameters
    ('gray12_raw', 19, 33, 1, 16, 12, False, 1, ['+el'], 0),  # raw: P = 16 and an LSE segment
    ('gray16', 17, 29, 1, 16, 16, False, 1, ['+el'], 0),
    ('signed16', 17, 31, 1, 16, 16, True, 1, ['+el'], 0),
    ('gray5', 16, 21, 1, 8, 5, False, 1, ['+el'], 0),
    ('gray2', 12, 19, 1, 8, 2, False, 1, ['+el'], 0),
    ('gray8_2frames', 11, 13, 1, 8, 8, False, 2, ['+el'], 0),
    ('gray8_presets', 23, 37, 1, 8, 8, False, 1, ['+el', '+t1', '5', '+t2', '11', '+t3', '40', '+rs', '20'], 0),
    ('rgb8_line', 21, 27, 3, 8, 8, False, 1, ['+el', '+il'], 0),
    ('rgb8_sample', 21, 27, 3, 8, 8, False, 1, ['+el', '+is'], 0),
    ('rgb8_none', 21, 27, 3, 8, 8, False, 1, ['+el', '+in'], 0),
    ('gray8_near3', 23, 37, 1, 8, 8, False, 1, ['+en', '+md', '3'], 3),
    ('gray16_near2', 17, 29, 1, 16, 16, False, 1, ['+en', '+md', '2'], 2),
    ('rgb8_sample_near1', 21, 27, 3, 8, 8, False, 1, ['+en', '+md', '1', '+is'], 1),
    ('rgb8_line_near2', 21, 27, 3, 8, 8, False, 1, ['+en', '+md', '2', '+il'], 2),
]


def pixel_value(dicom):
    at = dicom.rfind(b'\xe0\x7f\x10\x00')
    length = struct.unpack('<I', dicom[at + 8:at + 12])[0]
    return dicom[at + 12:at + 12 + length]


def samples_of(raw, bits_alloc, bits_stored, signed, count):
    if bits_alloc == 8:
        vals = list(raw[:count])
    else:
        vals = list(struct.unpack('<%dH' % count, raw[:2 * count]))
    if signed:
        sign = 1 << (bits_stored - 1)
        vals = [v - (sign << 1) if v & sign else v for v in vals]
    return vals


def write_ints(path, vals):
    with open(path, 'wb') as f:
        f.write(struct.pack('<%di' % len(vals), *vals))


def main():
    random.seed(20261203)
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows, cols, spp, ba, bs, signed, frames, opts, near in CASES:
            vals = image(rows, cols, spp, bs, signed, frames, zlib.crc32(name.encode()))
            native = os.path.join(tmp, name + '.native.dcm')
            with open(native, 'wb') as f:
                f.write(native_dicom(rows, cols, spp, ba, bs, signed, frames, vals))
            subprocess.run(['dcmcjpls', '--uid-never'] + opts + [native, name + '.dcm'], check=True)
            write_ints(name + '.raw', vals)
            if near:
                back = os.path.join(tmp, name + '.back.dcm')
                subprocess.run(['dcmdjpls', name + '.dcm', back], check=True)
                with open(back, 'rb') as f:
                    decoded = samples_of(pixel_value(f.read()), ba, bs, signed, len(vals))
                assert max(abs(a - b) for a, b in zip(decoded, vals)) <= near
                write_ints(name + '.dcmtk.raw', decoded)
            print(name, os.path.getsize(name + '.dcm'))


if __name__ == '__main__':
    main()
