#!/usr/bin/env python3
# check-report.py FILE.pdf PAGES OUTDIR: the report renders (pdftoppm, poppler-utils) to PNG
# pages; it has at least PAGES pages, and each chart box of cli/report.h holds a drawing: enough
# non-white pixels, and coloured data (bars, lines, dots), not only the frame and its text.
# Python's standard library only: the PNGs are decoded here (zlib, the five PNG filters).
import glob
import os
import struct
import subprocess
import sys
import zlib

DPI = 50
SCALE = DPI / 72.0
MARGIN, PAGE_W = 40.0, 595.0
# (page, y, height) in points, as REPORT_BOX_* in cli/report.h
BOXES = {
    "minutes": (1, 160.0, 170.0),
    "pain": (1, 360.0, 190.0),
    "intensity": (2, 50.0, 160.0),
    "heart rate": (2, 250.0, 170.0),
}


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour == 2 and interlace == 0, f"{path}: not 8-bit RGB"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, bpp, stride = zlib.decompress(idat), 3, width * 3
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, rows


def box_counts(png, y, h):
    width, height, rows = png
    x0, x1 = int(MARGIN * SCALE), int((PAGE_W - MARGIN) * SCALE)
    y0, y1 = int(y * SCALE), min(int((y + h) * SCALE), height)
    ink = colour = 0
    for row in rows[y0:y1]:
        for x in range(x0, min(x1, width)):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            if min(r, g, b) < 230:
                ink += 1
            if max(r, g, b) - min(r, g, b) > 60:
                colour += 1
    return ink, colour, (x1 - x0) * (y1 - y0)


def main():
    pdf, pages, outdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    n = int([line.split()[1] for line in info.splitlines() if line.startswith("Pages:")][0])
    if n < pages:
        sys.exit(f"{pdf}: {n} pages, expected at least {pages}")
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", pdf, os.path.join(outdir, "page")],
                   check=True)
    files = sorted(glob.glob(os.path.join(outdir, "page-*.png")))
    if len(files) != n:
        sys.exit(f"pdftoppm wrote {len(files)} pages of {n}")
    failed = False
    pngs = {}
    for name, (page, y, h) in BOXES.items():
        png = pngs.setdefault(page, read_png(files[page - 1]))
        ink, colour, area = box_counts(png, y, h)
        ok = ink > area * 0.02 and colour > area * 0.005
        print(f"{name}: page {page}, {ink} inked and {colour} coloured pixels of {area}"
              f"{'' if ok else ': EMPTY'}")
        failed |= not ok
    print(f"{n} pages")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
