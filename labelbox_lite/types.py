"""Annotation types, with the Labelbox SDK's names: a Label of one data row and its annotations.

Values are checked when built, so a bad annotation fails where it is written,
not later inside an import. `labelbox_lite.ndjson` turns Labels into the NDJSON
rows an import uploads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import define, field, frozen


def _finite(_instance: Any, attribute: Any, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{attribute.name} must be a finite number, got {value!r}")


def _confidence(_instance: Any, attribute: Any, value: float | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1):
        raise ValueError(f"{attribute.name} must be a number within [0, 1], got {value!r}")


def _one_of(first: str, second: str) -> Any:
    """A class validator: exactly one of two optional attributes is set."""

    def check(instance: Any, _attribute: Any, _value: Any) -> None:
        given = [getattr(instance, first) is not None, getattr(instance, second) is not None]
        if given.count(True) != 1:
            raise ValueError(f"{type(instance).__name__} needs exactly one of {first} or {second}")

    return check


def _feature_named(instance: Any, _attribute: Any, _value: Any) -> None:
    if instance.name is None and instance.feature_schema_id is None:
        raise ValueError(f"{type(instance).__name__} needs a name or a feature_schema_id")


# -- data -----------------------------------------------------------------------------------------------

@frozen
class GenericDataRowData:
    """Which data row a label is about: by `uid` (data row id) or by `global_key`."""

    uid: str | None = None
    global_key: str | None = field(default=None, validator=_one_of("uid", "global_key"))


def _data(value: GenericDataRowData | Mapping[str, Any]) -> GenericDataRowData:
    if isinstance(value, GenericDataRowData):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"uid", "global_key"}
        if unknown:
            raise ValueError(f"Label data takes uid or global_key; got {sorted(unknown)}")
        return GenericDataRowData(uid=value.get("uid"), global_key=value.get("global_key"))
    raise TypeError(f"Label data must be GenericDataRowData or a dict with uid or global_key, got {value!r}")


# -- geometry -------------------------------------------------------------------------------------------

@frozen
class Point:
    x: float = field(converter=float, validator=_finite)
    y: float = field(converter=float, validator=_finite)


@frozen
class Rectangle:
    """An axis-aligned box between two corners."""

    start: Point
    end: Point

    @classmethod
    def from_xyhw(cls, x: float, y: float, h: float, w: float) -> Rectangle:
        return cls(start=Point(x=x, y=y), end=Point(x=x + w, y=y + h))


def _closed(points: Sequence[Point]) -> list[Point]:
    """A polygon's ring ends where it starts, as Labelbox stores it."""
    points = list(points)
    if len(points) >= 3 and points[0] != points[-1]:
        points.append(points[0])
    return points


def _at_least(count: int, what: str) -> Any:
    def check(_instance: Any, _attribute: Any, points: list[Point]) -> None:
        if len(points) < count:
            raise ValueError(f"a {what} needs at least {count} points, got {len(points)}")
        if not all(isinstance(point, Point) for point in points):
            raise TypeError(f"a {what}'s points must be Point objects")

    return check


@frozen
class Polygon:
    points: list[Point] = field(converter=_closed, validator=_at_least(3, "polygon"))


@frozen
class Line:
    points: list[Point] = field(converter=list, validator=_at_least(2, "line"))


@frozen
class MaskData:
    """A mask's pixels: a `url` of a mask image, or `arr`, rows of pixel values (or of [r, g, b])."""

    url: str | None = None
    arr: list[list[Any]] | None = field(default=None, validator=_one_of("url", "arr"))

    @classmethod
    def from_2D_arr(cls, arr: Sequence[Sequence[int]]) -> MaskData:  # noqa: N802 - the SDK's name
        rows = [list(row) for row in arr]
        if not rows or len({len(row) for row in rows}) != 1 or not rows[0]:
            raise ValueError("a mask array is a non-empty rectangle of rows")
        return cls(arr=rows)


def _color(value: int | Sequence[int]) -> tuple[int, int, int]:
    color = (value, value, value) if isinstance(value, int) else tuple(value)
    if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
        raise ValueError(f"a mask color is an int or three ints within [0, 255], got {value!r}")
    return color


@frozen
class Mask:
    """The pixels of `mask` that have `color` belong to the annotation."""

    mask: MaskData
    color: tuple[int, int, int] = field(default=(255, 255, 255), converter=_color)


@frozen
class TextEntity:
    """A span of a text data row, by character offsets."""

    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.end, int)) or not 0 <= self.start <= self.end:
            raise ValueError(f"TextEntity needs integers 0 <= start <= end, got start={self.start!r}, end={self.end!r}")


Geometry = Rectangle | Point | Polygon | Line | Mask | TextEntity


# -- classifications -------------------------------------------------------------------------------------

@define
class ClassificationAnswer:
    """One chosen option, by name or feature_schema_id, with optional nested classifications."""

    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    confidence: float | None = field(default=None, validator=_confidence)
    classifications: list[ClassificationAnnotation] | None = None


@define
class Radio:
    answer: ClassificationAnswer


@define
class Checklist:
    answer: list[ClassificationAnswer]

    def __attrs_post_init__(self) -> None:
        if not self.answer:
            raise ValueError("a Checklist needs at least one answer")


@define
class Text:
    answer: str
    confidence: float | None = field(default=None, validator=_confidence)


@define
class ClassificationAnnotation:
    """A classification of a whole data row (or, nested, of an object or an answer)."""

    value: Radio | Checklist | Text
    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    confidence: float | None = field(default=None, validator=_confidence)
    extra: dict[str, Any] = field(factory=dict)


# -- objects and labels ------------------------------------------------------------------------------------

def _geometry(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, (Rectangle, Point, Polygon, Line, Mask, TextEntity)):
        raise TypeError(f"an ObjectAnnotation's value is a Rectangle, Point, Polygon, Line, Mask or TextEntity, "
                        f"got {type(value).__name__}")


@define
class ObjectAnnotation:
    """A located annotation: a geometry (or text span) of one tool, with nested classifications."""

    value: Geometry = field(validator=_geometry)
    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    confidence: float | None = field(default=None, validator=_confidence)
    classifications: list[ClassificationAnnotation] = field(factory=list)
    extra: dict[str, Any] = field(factory=dict)


Annotation = ObjectAnnotation | ClassificationAnnotation


def _annotations(_instance: Any, _attribute: Any, value: list[Any]) -> None:
    wrong = [type(item).__name__ for item in value if not isinstance(item, (ObjectAnnotation, ClassificationAnnotation))]
    if wrong:
        raise TypeError(f"a Label's annotations are ObjectAnnotation or ClassificationAnnotation, got {wrong[:3]}")


@define
class Label:
    """The annotations (here: predictions) of one data row."""

    data: GenericDataRowData = field(converter=_data)
    annotations: list[Annotation] = field(factory=list, converter=list, validator=_annotations)
    extra: dict[str, Any] = field(factory=dict)


__all__ = [
    "Checklist",
    "ClassificationAnnotation",
    "ClassificationAnswer",
    "GenericDataRowData",
    "Label",
    "Line",
    "Mask",
    "MaskData",
    "ObjectAnnotation",
    "Point",
    "Polygon",
    "Radio",
    "Rectangle",
    "Text",
    "TextEntity",
]
