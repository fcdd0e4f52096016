"""Geometry, with the SDK's names (`labelbox.data.annotation_types.geometry`): the shapes of
`labelbox_lite.types`, and a rectangle on a page of a document."""

from __future__ import annotations

from enum import Enum
from typing import Any

from attrs import field, frozen

from ...types import Geometry, Line, Mask, Point, Polygon, Rectangle


class RectangleUnit(Enum):
    INCHES = "INCHES"
    PIXELS = "PIXELS"
    POINTS = "POINTS"
    PERCENT = "PERCENT"


def _unit(value: Any) -> RectangleUnit:
    return value if isinstance(value, RectangleUnit) else RectangleUnit(value)


@frozen
class DocumentRectangle(Rectangle):
    """A rectangle on page `page` of a document, in `unit`s."""

    page: int = field(kw_only=True)
    unit: RectangleUnit = field(kw_only=True, converter=_unit)


__all__ = ["DocumentRectangle", "Geometry", "Line", "Mask", "Point", "Polygon", "Rectangle", "RectangleUnit"]
