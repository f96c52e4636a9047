#!/usr/bin/env python3
"""Check pinbench graphs as a reader sees them, in the PNG itself.

    png_layout.py STYLE_GP DATA_DIR PNG...

For each PNG: nothing is drawn in its outermost columns (a title or key
running off the canvas leaves ink there), and for overlay-METHOD.png and
latency-METHOD[-LABEL].png every series the data has (its colour slot, from
DATA_DIR/lat-L*-METHOD-*.dat) shows its colour in the key band at the bottom.
One line per fault; exit 1 if any. Reads PNGs with zlib only (8-bit RGB/RGBA).
"""
import glob
import os
import re
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                raise ValueError("only 8-bit RGB or RGBA")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def slot_colours(style):
    cols = {}
    with open(style) as f:
        for line in f:
            m = re.match(r'set linetype (\d+) lc rgb "#([0-9a-fA-F]{6})"', line)
            if m:
                cols[int(m.group(1))] = bytes.fromhex(m.group(2))
    return cols


def label_index(data_dir, label):
    """L<i> of a latency graph's label ("*": every label; one label: L0)."""
    if not label:
        return "*"
    with open(os.path.join(data_dir, "labels.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and re.sub(r"[^A-Za-z0-9._-]", "_", parts[1]) == label:
                return parts[0]
    return "*"


def slots_of(data_dir, method, index="*"):
    slots = set()
    for path in glob.glob(os.path.join(data_dir, "lat-L%s-%s-*.dat" % (index, method))):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 11 and parts[0][0].isdigit():
                    slots.add(int(float(parts[10])))
    return slots


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    cols = slot_colours(sys.argv[1])
    data_dir = sys.argv[2]
    methods = sorted({os.path.basename(p).split("-", 2)[2].rsplit("-", 1)[0]
                      for p in glob.glob(os.path.join(data_dir, "lat-L*-*-*.dat"))}, key=len, reverse=True)
    faults = 0
    for png in sys.argv[3:]:
        w, h, bpp, rows = read_png(png)
        name = os.path.basename(png)[:-4]

        def ink(x, y):
            p = rows[y][x * bpp:x * bpp + 3]
            return min(p) < 200

        edge = [x for x in (0, 1, w - 2, w - 1) if any(ink(x, y) for y in range(h))]
        if edge:
            print("%s: ink at the left or right edge (columns %s): a title or key is cut off" % (png, edge))
            faults += 1
        kind, _, rest = name.partition("-")
        if kind not in ("overlay", "latency") or rest.startswith("per4k"):
            continue
        method = next((m for m in methods if rest == m or rest.startswith(m + "-")), None)
        if method is None:
            continue
        # The key is below the panels: below the lowest x axis (the lowest
        # row holding a long dark horizontal run).
        axis = 0
        for y in range(h - 1, 0, -1):
            run = best = 0
            for x in range(w):
                run = run + 1 if ink(x, y) else 0
                best = max(best, run)
            if best > w // 5:
                axis = y
                break
        band = rows[axis + 3:]
        seen = set()
        for line in band:
            for x in range(w):
                seen.add(bytes(line[x * bpp:x * bpp + 3]))
        label = rest[len(method) + 1:] if kind == "latency" else ""
        for s in sorted(slots_of(data_dir, method, label_index(data_dir, label))):
            if s in cols and cols[s] not in seen:
                print("%s: the key lacks series slot %d (#%s)" % (png, s, cols[s].hex()))
                faults += 1
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
