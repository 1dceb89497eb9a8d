"""Draw ``hrss/static/hrss/favicon.ico``: the hall's blue rounded square with a white 人.

No imaging library is needed: each size is drawn pixel by pixel, written as a PNG (zlib)
and the PNGs are packed into one ICO (browsers read PNG entries). Run from the
repository root: ``python tools/make_favicon.py``.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

BLUE = (0x0B, 0x4A, 0x8B, 255)  # the theme colour (base.html, the PWA manifest)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
# 人: from the top centre down to the lower left, and from the middle down to the lower right.
STROKES = (((0.52, 0.16), (0.20, 0.84)), ((0.47, 0.40), (0.82, 0.84)))
SIZES = (16, 32, 48)
TARGET = Path("hrss/static/hrss/favicon.ico")


def _distance_to_segment(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy))


def _pixel(size: int, x: int, y: int) -> tuple[int, int, int, int]:
    radius, half_stroke = size * 0.19, size * 0.085
    cx, cy = x + 0.5, y + 0.5
    nearest = (min(max(cx, radius), size - radius), min(max(cy, radius), size - radius))
    if math.hypot(cx - nearest[0], cy - nearest[1]) > radius:
        return CLEAR
    for a, b in STROKES:
        start, end = (a[0] * size, a[1] * size), (b[0] * size, b[1] * size)
        if _distance_to_segment(cx, cy, start, end) <= half_stroke:
            return WHITE
    return BLUE


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(_pixel(size, x, y)) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(sizes: tuple[int, ...] = SIZES) -> bytes:
    images = [(size, png(size)) for size in sizes]
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        entries += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return struct.pack("<HHH", 0, 1, len(images)) + entries + blobs


if __name__ == "__main__":
    TARGET.write_bytes(ico())
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
