"""Reading a PNG's pixels without an imaging library, for MaskData(im_bytes=...).

Takes what mask files are: 8-bit, non-interlaced, grey, grey+alpha, RGB or RGBA.
The pixels come back as rows of ints (grey) or of [r, g, b] (alpha dropped).
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type -> samples per pixel


def read_pixels(data: bytes) -> list[list[Any]]:
    if not data.startswith(SIGNATURE):
        raise ValueError("im_bytes is not a PNG image")
    offset, header, idat = len(SIGNATURE), b"", []
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        offset += 12 + length
    if len(header) != 13:
        raise ValueError("im_bytes: the PNG has no valid IHDR chunk")
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(f"im_bytes: only 8-bit non-interlaced grey, RGB or RGBA PNGs are read "
                         f"(bit depth {depth}, colour type {colour}, interlace {interlace})")
    try:
        raw = zlib.decompress(b"".join(idat))
    except zlib.error as error:
        raise ValueError(f"im_bytes: the PNG's image data is corrupt: {error}") from None
    channels = _CHANNELS[colour]
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise ValueError("im_bytes: the PNG's image data does not match its size")
    rows: list[list[Any]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = _unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        previous = line
        if colour == 0:
            rows.append(list(line))
        elif colour == 4:
            rows.append(list(line[0::2]))
        else:
            rows.append([list(line[x:x + 3]) for x in range(0, stride, channels)])
    return rows


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> bytearray:
    if kind == 0:
        return line
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            estimate = left + up - corner
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        else:
            raise ValueError(f"im_bytes: unknown PNG filter type {kind}")
    return line
