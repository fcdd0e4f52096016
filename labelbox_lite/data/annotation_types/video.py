"""Video annotations, with the SDK's names: objects drawn on frames (grouped into segments) and
classifications of frames. `labelbox_lite.ndjson` writes them as the SDK does: one row per feature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

from attrs import define, field, frozen

from ...exceptions import ConfidenceNotSupportedException, CustomMetricsNotSupportedException
from ...types import ClassificationAnnotation, ObjectAnnotation


def _frame(_instance: object, attribute: Any, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{attribute.name} is a frame index, an integer >= 0; got {value!r}")


def _segment(_instance: object, _attribute: Any, value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"segment_index is an integer >= 0 or None; got {value!r}")


@define
class VideoClassificationAnnotation(ClassificationAnnotation):
    """A classification of one frame; the frames of one feature become ranges (by `segment_index`, or
    by consecutive frames when no annotation gives one)."""

    frame: int = field(kw_only=True, validator=_frame)
    segment_index: int | None = field(default=None, kw_only=True, validator=_segment)


@define
class VideoObjectAnnotation(ObjectAnnotation):
    """An object on one frame (a Rectangle, Point or Line); `keyframe` marks those drawn rather than
    interpolated, and only keyframes are imported. No confidence or custom metrics, as in Labelbox."""

    frame: int = field(kw_only=True, validator=_frame)
    keyframe: bool = field(kw_only=True)
    segment_index: int | None = field(default=None, kw_only=True, validator=_segment)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.confidence is not None:
            raise ConfidenceNotSupportedException("Confidence is not supported for this annotation type yet")
        if self.custom_metrics is not None:
            raise CustomMetricsNotSupportedException("Custom metrics is not supported for this annotation type yet")


def _uri(_instance: object, _attribute: Any, value: str | None) -> None:
    if value is not None:
        parts = urlsplit(value)
        if not (parts.scheme and parts.netloc):
            raise ValueError(f"{value} is not a valid uri")


def _one_source(instance: MaskFrame, _attribute: Any, _value: Any) -> None:
    if instance.instance_uri is None and instance.im_bytes is None:
        raise ValueError("One of `instance_uri`, `im_bytes` required.")


@frozen
class MaskFrame:
    """The mask image of frame `index`: at `instance_uri`, or the PNG's bytes."""

    index: int = field(kw_only=True, validator=_frame)
    instance_uri: str | None = field(default=None, kw_only=True, validator=_uri)
    im_bytes: bytes | None = field(default=None, kw_only=True, validator=_one_source)


def _rgb(value: Any) -> tuple[int, int, int]:
    color = tuple(value)
    if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
        raise ValueError(f"color_rgb is three ints within [0, 255], got {value!r}")
    return color


@frozen
class MaskInstance:
    """One object of a video mask: the pixels of `color_rgb` in every frame's mask, of feature `name`."""

    color_rgb: tuple[int, int, int] = field(kw_only=True, converter=_rgb)
    name: str = field(kw_only=True)
    feature_schema_id: str | None = field(default=None, kw_only=True)


# typed, unlike converter=list (see types._points)
def _frames(value: Iterable[MaskFrame]) -> list[MaskFrame]:
    return list(value)


def _instances(value: Iterable[MaskInstance]) -> list[MaskInstance]:
    return list(value)


@define
class VideoMaskAnnotation:
    """Masks of a video: each frame's mask image, and which colour is which feature."""

    label_annotation: ClassVar[bool] = True  # a Label takes it beside object and classification annotations
    frames: list[MaskFrame] = field(kw_only=True, converter=_frames)
    instances: list[MaskInstance] = field(kw_only=True, converter=_instances)


__all__ = ["MaskFrame", "MaskInstance", "VideoClassificationAnnotation", "VideoMaskAnnotation",
           "VideoObjectAnnotation"]
