#!/usr/bin/env python3
"""Generates the HTJ2K test codestreams of HtJ2kDecoderTest with OpenJPH's tools (BSD-2-Clause).

Needs ojph_compress and ojph_expand (Debian: apt-get install openjph-tools). For every case it writes
  <name>.j2c       the codestream from ojph_compress
  <name>.raw       the expected samples, interleaved per pixel, 16-bit little-endian (two's complement
                   when signed): the original samples for reversible cases, ojph_expand's output for
                   irreversible ones
and one line per case in cases.tsv: name, columns, rows, samples, bits, signed, reversible.
Run from this folder: python3 generate.py
"""
import os
import random
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def image(w, h, comps, bits, signed, seed):
    """A smooth gradient with texture and noise, so every subband has significant coefficients."""
    rnd = random.Random(seed)
    # signed: ojph_compress 0.9.0 reads raw words as unsigned and stores them unchanged in a signed
    # component, so only the non-negative half of the signed range survives its round trip
    lo = 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    span = hi - lo
    planes = []
    for c in range(comps):
        plane = []
        for y in range(h):
            for x in range(w):
                v = lo + (x * span // max(1, w - 1) + y * span // (3 * max(1, h - 1)) + c * span // 5) % (span + 1)
                if (x // 4 + y // 3) % 2 == 0:
                    v += rnd.randint(-span // 16, span // 16)
                v += rnd.randint(-2, 2)
                plane.append(max(lo, min(hi, v)))
        planes.append(plane)
    return planes


def write_planar(path, planes, bits, signed):
    with open(path, 'wb') as f:
        for plane in planes:
            if bits <= 8:
                f.write(bytes((v & 0xFF) for v in plane))
            else:
                f.write(b''.join(struct.pack('<h' if signed else '<H', v) for v in plane))


def read_planar(path, n, comps, bits, signed):
    data = open(path, 'rb').read()
    planes = []
    if bits <= 8:
        for c in range(comps):
            chunk = data[c * n:(c + 1) * n]
            planes.append([(b - 256 if signed and b > 127 else b) for b in chunk])
    else:
        for c in range(comps):
            planes.append(list(struct.unpack_from('<%d%s' % (n, 'h' if signed else 'H'), data, 2 * c * n)))
    return planes


def write_pnm(path, planes, w, h, bits):
    comps = len(planes)
    maxval = (1 << bits) - 1
    with open(path, 'wb') as f:
        f.write(b'%s\n%d %d\n%d\n' % (b'P5' if comps == 1 else b'P6', w, h, maxval))
        out = bytearray()
        for i in range(w * h):
            for c in range(comps):
                v = planes[c][i]
                out += bytes([v]) if bits <= 8 else struct.pack('>H', v)
        f.write(out)


def read_pnm(path, comps, bits):
    data = open(path, 'rb').read()
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    pos += 1
    w, h = int(fields[1]), int(fields[2])
    body = data[pos:]
    n = w * h
    planes = [[0] * n for _ in range(comps)]
    for i in range(n):
        for c in range(comps):
            k = i * comps + c
            planes[c][i] = body[k] if bits <= 8 else struct.unpack_from('>H', body, 2 * k)[0]
    return planes


class TagTree:
    """Tag tree (T.800 B.10.2) over a grid of code-blocks, for reading and for writing packet headers."""

    def __init__(self, w, h):
        self.levels = []
        while True:
            self.levels.append((w, h))
            if w == 1 and h == 1:
                break
            w, h = (w + 1) // 2, (h + 1) // 2
        self.low = [[0] * (lw * lh) for lw, lh in self.levels]
        self.known = [[False] * (lw * lh) for lw, lh in self.levels]
        self.value = [[0] * (lw * lh) for lw, lh in self.levels]

    def path(self, x, y):
        return [(k, (y >> k) * self.levels[k][0] + (x >> k)) for k in range(len(self.levels) - 1, -1, -1)]

    def set_values(self, values):
        """Leaf values (row-major); inner nodes get the minimum of their children."""
        self.value[0] = list(values)
        for k in range(1, len(self.levels)):
            w, h = self.levels[k]
            cw, ch = self.levels[k - 1]
            for y in range(h):
                for x in range(w):
                    kids = [self.value[k - 1][yy * cw + xx] for yy in (2 * y, 2 * y + 1) for xx in (2 * x, 2 * x + 1)
                            if yy < ch and xx < cw]
                    self.value[k][y * w + x] = min(kids)

    def decode(self, bits, x, y, threshold):
        carried = 0
        for k, i in self.path(x, y):
            self.low[k][i] = max(self.low[k][i], carried)
            while not self.known[k][i] and self.low[k][i] < threshold:
                if bits.read():
                    self.known[k][i] = True
                else:
                    self.low[k][i] += 1
            if not self.known[k][i]:
                return None
            carried = self.low[k][i]
        return carried

    def encode(self, bits, x, y, threshold):
        carried = 0
        for k, i in self.path(x, y):
            self.low[k][i] = max(self.low[k][i], carried)
            while not self.known[k][i] and self.low[k][i] < threshold:
                if self.low[k][i] == self.value[k][i]:
                    bits.write(1)
                    self.known[k][i] = True
                else:
                    bits.write(0)
                    self.low[k][i] += 1
            if not self.known[k][i]:
                return
            carried = self.low[k][i]


class HeaderReader:
    """Packet header bits: most significant first, 7 bits in the byte after an 0xFF."""

    def __init__(self, data, pos):
        self.data, self.pos, self.left, self.cur, self.last_ff = data, pos, 0, 0, False

    def read(self):
        if self.left == 0:
            self.cur = self.data[self.pos]
            self.pos += 1
            self.left = 7 if self.last_ff else 8
            self.last_ff = self.cur == 0xFF
        self.left -= 1
        return (self.cur >> self.left) & 1

    def bits(self, n):
        v = 0
        for _ in range(n):
            v = (v << 1) | self.read()
        return v

    def end(self):
        return self.pos + (1 if self.last_ff else 0)


class HeaderWriter:
    def __init__(self):
        self.out, self.cur, self.n, self.cap = bytearray(), 0, 0, 8

    def write(self, bit):
        self.cur = (self.cur << 1) | bit
        self.n += 1
        if self.n == self.cap:
            self.out.append(self.cur)
            self.cap = 7 if self.cur == 0xFF else 8
            self.cur, self.n = 0, 0

    def bits(self, v, n):
        for k in range(n - 1, -1, -1):
            self.write((v >> k) & 1)

    def finish(self):
        if self.n:
            self.out.append(self.cur << (self.cap - self.n))
            self.cap = 7 if self.out[-1] == 0xFF else 8
        if self.out and self.out[-1] == 0xFF:
            self.out.append(0)
        return bytes(self.out)


def two_layers(src, dst, blocks_x, blocks_y):
    """Rewrites a one-tile, one-component, one-precinct (no decomposition), one-layer codestream of
    ojph_compress as two quality layers: the code-blocks on even (i + j) in layer 0, the others in
    layer 1. Tests inclusion tag trees across layers; OpenJPH cannot write several layers itself."""
    cs = open(src, 'rb').read()
    cod = cs.index(b'\xff\x52')
    sot = cs.index(b'\xff\x90')
    sod = cs.index(b'\xff\x93', sot)
    body = cs[sod + 2:]
    r = HeaderReader(body, 0)
    assert r.read() == 1
    incl, zero = TagTree(blocks_x, blocks_y), TagTree(blocks_x, blocks_y)
    blocks = []
    for j in range(blocks_y):
        for i in range(blocks_x):
            assert incl.decode(r, i, j, 1) == 0, 'every block in the single layer'
            z = zero.decode(r, i, j, 99)
            assert r.read() == 0, 'one coding pass'
            lblock = 3
            while r.read():
                lblock += 1
            blocks.append([i, j, z, r.bits(lblock)])
    pos = r.end()
    for b in blocks:
        b.append(body[pos:pos + b[3]])
        pos += b[3]
    incl, zero = TagTree(blocks_x, blocks_y), TagTree(blocks_x, blocks_y)
    incl.set_values([(b[0] + b[1]) % 2 for b in blocks])
    zero.set_values([b[2] for b in blocks])
    packets = b''
    for layer in (0, 1):
        w = HeaderWriter()
        w.write(1)
        data = b''
        for b in blocks:
            i, j, z, length, payload = b
            first = (i + j) % 2
            if first > layer:
                incl.encode(w, i, j, layer + 1)
                continue
            if first < layer:
                w.write(0)  # included before, nothing new
                continue
            incl.encode(w, i, j, layer + 1)
            zero.encode(w, i, j, 99)
            w.write(0)  # one coding pass
            lblock = 3
            while length >= 1 << lblock:
                w.write(1)
                lblock += 1
            w.write(0)
            w.bits(length, lblock)
            data += payload
        packets += w.finish() + data
    header = bytearray(cs[:sot])
    header[cod + 6:cod + 8] = b'\x00\x02'
    tile = bytearray(cs[sot:sod + 2])
    tile[6:10] = struct.pack('>I', len(tile) + len(packets))
    open(dst, 'wb').write(bytes(header) + bytes(tile) + packets + b'\xff\xd9')


def case(name, w, h, comps, bits, signed, reversible, options, seed, pnm=False, expand_check=True):
    planes = image(w, h, comps, bits, signed, seed)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'in.' + (('pgm' if comps == 1 else 'ppm') if pnm else 'yuv'))
        dst = os.path.join(tmp, 'out.' + (('pgm' if comps == 1 else 'ppm') if pnm else 'yuv'))
        j2c = os.path.join(HERE, name + '.j2c')
        args = ['ojph_compress', '-i', src, '-o', j2c, '-reversible', 'true' if reversible else 'false']
        if pnm:
            write_pnm(src, planes, w, h, bits)
        else:
            write_planar(src, planes, bits, signed)
            args += ['-dims', '{%d,%d}' % (w, h), '-num_comps', str(comps),
                     '-signed', ','.join(['true' if signed else 'false'] * comps),
                     '-bit_depth', ','.join([str(bits)] * comps),
                     '-downsamp', ','.join(['{1,1}'] * comps)]
        subprocess.run(args + options, check=True, stdout=subprocess.DEVNULL)
        expand = ['ojph_expand', '-i', j2c, '-o', dst]
        subprocess.run(expand, check=True, stdout=subprocess.DEVNULL)
        decoded = read_pnm(dst, comps, bits) if pnm else read_planar(dst, w * h, comps, bits, signed)
        if reversible and expand_check and decoded != planes:
            raise SystemExit(name + ': ojph_expand did not reproduce the original samples')
        expected = planes if reversible else decoded
    with open(os.path.join(HERE, name + '.raw'), 'wb') as f:
        f.write(b''.join(struct.pack('<h' if signed else '<H', expected[c][i])
                         for i in range(w * h) for c in range(comps)))
    return '\t'.join(str(v) for v in (name, w, h, comps, bits, 1 if signed else 0, 1 if reversible else 0))


def main():
    lines = [
        case('gray8', 67, 45, 1, 8, False, True, [], 1, pnm=True),
        case('gray8_lrcp_2levels', 40, 33, 1, 8, False, True,
             ['-num_decomps', '2', '-prog_order', 'LRCP', '-block_size', '{16,32}'], 2, pnm=True),
        case('gray8_0levels', 19, 7, 1, 8, False, True, ['-num_decomps', '0'], 3, pnm=True),
        case('gray12', 50, 30, 1, 12, False, True, ['-num_decomps', '3', '-block_size', '{8,8}'], 4),
        case('gray16', 33, 31, 1, 16, False, True, ['-num_decomps', '4'], 5),
        case('signed12', 24, 26, 1, 12, True, True, ['-num_decomps', '2'], 6),
        case('signed16', 30, 20, 1, 16, True, True, ['-num_decomps', '3', '-prog_order', 'RLCP'], 7),
        case('rgb8_rct', 41, 27, 3, 8, False, True, [], 8, pnm=True),
        case('rgb8_no_mct', 41, 27, 3, 8, False, True, ['-colour_trans', 'false', '-prog_order', 'CPRL'], 9, pnm=True),
        case('gray8_tiles_precincts', 70, 52, 1, 8, False, True,
             ['-tile_size', '{32,32}', '-precincts', '{16,16},{32,32}', '-prog_order', 'PCRL',
              '-block_size', '{8,8}', '-num_decomps', '3'], 10, pnm=True),
        case('rgb8_tiles_rpcl', 45, 40, 3, 8, False, True,
             ['-tile_size', '{16,24}', '-precincts', '{8,8}', '-num_decomps', '2'], 11, pnm=True),
        # odd image and tile offsets (odd subband origins, high-pass first samples in the wavelet): the
        # original samples are expected; ojph_expand 0.9.0 itself gets 6 of its 2,173 samples wrong
        case('gray8_offsets', 53, 41, 1, 8, False, True,
             ['-num_decomps', '3', '-image_offset', '{3,5}', '-tile_offset', '{1,2}', '-tile_size', '{16,32}',
              '-block_size', '{8,8}', '-precincts', '{8,8},{16,16}', '-prog_order', 'PCRL'], 17, pnm=True,
             expand_check=False),
        case('gray8_97', 67, 45, 1, 8, False, False, ['-qstep', '0.01'], 12, pnm=True),
        case('gray12_97', 50, 30, 1, 12, False, False, ['-qstep', '0.002', '-num_decomps', '3'], 13),
        case('rgb8_ict', 41, 27, 3, 8, False, False, ['-qstep', '0.02'], 14, pnm=True),
        # no signed irreversible case: ojph_expand 0.9.0 writes signed raw samples wrongly (a lossless ramp
        # from 0 comes back as 4095, 4095, 0, ...), so there is no reference output to compare with
        case('gray8_97_64x64_blocks', 160, 128, 1, 8, False, False, ['-qstep', '0.03', '-num_decomps', '3'], 16,
             pnm=True),
    ]
    lines.append(case('gray8_layers', 40, 33, 1, 8, False, True,
                      ['-num_decomps', '0', '-block_size', '{8,8}', '-prog_order', 'LRCP'], 18, pnm=True))
    one = os.path.join(HERE, 'gray8_layers.j2c')
    two_layers(one, one, 5, 5)
    with open(os.path.join(HERE, 'cases.tsv'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
