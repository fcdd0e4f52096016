"""A tool's geometry, each kind checked by one function that answers None or the message's tail."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from .values import number, short

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _point_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with numeric x and y, got {short(value)}"
    if not (number(value.get("x")) and number(value.get("y"))):
        return f": x and y must be finite numbers, got {short(value)}"
    return None


def _points_message(value: Any, minimum: int, what: str) -> str | None:
    if type(value) is not list:
        return f": a {what} is a list of points, got {short(value)}"
    if len(value) < minimum:
        return f": a {what} needs at least {minimum} points, got {len(value)}"
    for index, point in enumerate(value):
        message = _point_message(point)
        if message is not None:
            return f"[{index}]{message}"
    return None


def _bbox_message(value: Any) -> str | None:
    # the common case first, inline: four finite numbers (x - x == 0 only for finite floats), sizes not negative
    if type(value) is dict:
        top, left, height, width = value.get("top"), value.get("left"), value.get("height"), value.get("width")
        if ((type(top) is int or (type(top) is float and top - top == 0))
                and (type(left) is int or (type(left) is float and left - left == 0))
                and (type(height) is int or (type(height) is float and height - height == 0))
                and (type(width) is int or (type(width) is float and width - width == 0))
                and height >= 0 and width >= 0):
            return None
    return _bbox_problem(value)


def _bbox_problem(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with top, left, height and width, got {short(value)}"
    for key in ("top", "left", "height", "width"):
        size = value.get(key)
        if not number(size):
            return f".{key}: must be a finite number, got {short(size)}"
        if key in ("height", "width") and size < 0:
            return f".{key}: must not be negative, got {size!r}"
    return None


def _mask_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with instanceURI and colorRGB, or png, got {short(value)}"
    uri, png = value.get("instanceURI"), value.get("png")
    if (uri is None) == (png is None):
        return ": give exactly one of instanceURI (with colorRGB) or png"
    if png is not None:
        return None if is_base64_png(png) else ".png: must be a base64-encoded PNG image"
    if not isinstance(uri, str) or not uri:
        return f".instanceURI: must be a URL, got {short(uri)}"
    color = value.get("colorRGB")
    return None if is_color(color) else f".colorRGB: must be three integers within [0, 255], got {short(color)}"


def is_base64_png(value: Any) -> bool:
    """Mask bytes as NDJSON carries them: base64 text of a PNG image."""
    try:
        decoded = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError):
        decoded = b""
    return decoded.startswith(_PNG_SIGNATURE)


def is_color(value: Any) -> bool:
    """[r, g, b], each an integer within [0, 255]: a mask's colour for one feature."""
    return type(value) is list and len(value) == 3 and all(type(c) is int and 0 <= c <= 255 for c in value)


def _location_message(value: Any) -> str | None:
    if type(value) is not dict:
        return f": must be an object with start and end, got {short(value)}"
    start, end = value.get("start"), value.get("end")
    if type(start) is not int or type(end) is not int or start < 0:
        return f": start and end must be non-negative integers, got {short(value)}"
    if end < start:
        return f".end: must not be before start, got start {start} and end {end}"
    return None


GEOMETRY_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "bbox": _bbox_message,
    "polygon": lambda value: _points_message(value, 3, "polygon"),
    "point": _point_message,
    "line": lambda value: _points_message(value, 2, "line"),
    "mask": _mask_message,
    "location": _location_message,
}

