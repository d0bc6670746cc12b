"""Small but real PNG screenshots for `browse` observations, as data URLs."""

from __future__ import annotations

import base64
import hashlib
import struct
import zlib

__all__ = ["screenshot_data_url"]

WIDTH, HEIGHT = 160, 100


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def screenshot_data_url(page: str) -> str:
    """A browser-window-like PNG whose accent colour and layout depend on `page`."""
    digest = hashlib.sha256(page.encode()).digest()
    accent = (digest[0] // 2 + 40, digest[1] // 2 + 60, digest[2] // 2 + 120)
    bars = [12 + digest[3 + i] % 60 for i in range(4)]
    rows = []
    for y in range(HEIGHT):
        row = bytearray([0])  # filter type: none
        for x in range(WIDTH):
            if y < 10:
                pixel = (222, 222, 226)  # the browser's tab strip
            elif y < 26:
                pixel = accent  # the page's header
            elif 34 <= y < 88 and 8 <= x < 8 + 4 * 36 and (y - 34) % 14 < 8:
                line = (y - 34) // 14
                pixel = (70, 70, 80) if x - 8 < bars[line] + 70 else (250, 250, 250)
            else:
                pixel = (250, 250, 250)
            row.extend(pixel)
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
