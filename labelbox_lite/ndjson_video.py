"""Video annotations as NDJSON rows, grouped as the SDK groups them: one row per feature.

Objects: the feature's frames split into segments (by `segment_index`, or by runs of consecutive
frames when no annotation of the feature gives one); each segment lists its keyframes, in the order
given, with their geometry (bbox, point or line) and nested classifications. Classifications: the
first annotation's answer with the feature's frame ranges; a Text's rows are grouped by answer text.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

from .data.annotation_types.video import VideoClassificationAnnotation, VideoMaskAnnotation, VideoObjectAnnotation
from .types import ClassificationAnnotation, Line, Point, Rectangle, Text

VideoAnnotation = VideoClassificationAnnotation | VideoObjectAnnotation
_KEYFRAME_GEOMETRY = (Rectangle, Point, Line)


def frame_ranges(group: list[VideoAnnotation]) -> list[tuple[int, int]]:
    """(first, last) frame of each segment of one feature's annotations."""
    indexed = sorted((a.frame, a.segment_index) for a in group if a.segment_index is not None)
    if not indexed:
        frames = sorted(a.frame for a in group)
        runs = groupby(enumerate(frames), lambda pair: pair[1] - pair[0])
        return [(run[0][1], run[-1][1]) for run in (list(r) for _, r in runs)]
    if len(indexed) != len(group):
        raise ValueError("Video annotations cannot partially have `segment_index` set")
    segments: dict[int, list[int]] = {}
    last = 0
    for frame, segment in indexed:
        assert segment is not None
        if segment < last:
            raise ValueError(f"`segment_index` must be in ascending order. Please investigate video annotation at "
                             f"frame, '{frame}'")
        segments.setdefault(segment, []).append(frame)
        last = segment
    return [(frames[0], frames[-1]) for frames in segments.values()]


def video_rows(annotations: Iterable[VideoAnnotation | VideoMaskAnnotation], data_row: dict[str, Any],
               nested: Callable[[ClassificationAnnotation], dict[str, Any]],
               classification: Callable[[ClassificationAnnotation, dict[str, Any]], dict[str, Any]],
               geometry: Callable[[Any], tuple[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a label's video annotations, one per feature in order of first appearance."""
    groups: dict[str, list[VideoAnnotation]] = {}
    rows = []
    for annotation in annotations:
        if isinstance(annotation, VideoMaskAnnotation):  # written as met, before the grouped features
            rows.append(_masks(annotation, data_row))
        else:
            groups.setdefault(annotation.feature_schema_id or annotation.name or "", []).append(annotation)
    for group in groups.values():
        first = group[0]
        if isinstance(first, VideoObjectAnnotation):
            rows.append(_objects(group, data_row, nested, geometry))
        elif isinstance(first.value, Text):
            rows.append(_texts(group, data_row))
        else:
            ranges = [{"end": end, "start": start} for start, end in frame_ranges(group)]
            rows.append({"frames": ranges, **classification(first, data_row)})
    return rows


def _feature(row: dict[str, Any], annotation: VideoAnnotation) -> None:
    if annotation.name is not None:
        row["name"] = annotation.name
    if annotation.feature_schema_id is not None:
        row["schemaId"] = annotation.feature_schema_id


def _objects(group: list[VideoAnnotation], data_row: dict[str, Any],
             nested: Callable[[ClassificationAnnotation], dict[str, Any]],
             geometry: Callable[[Any], tuple[str, Any]]) -> dict[str, Any]:
    segments = []
    for start, end in frame_ranges(group):
        keyframes = [a for a in group if isinstance(a, VideoObjectAnnotation) and a.keyframe
                     and start <= a.frame <= end]
        if not keyframes:  # a segment is imported as its keyframes: one without any has nothing to send
            raise ValueError(f"video feature {group[0].name or group[0].feature_schema_id!r} has no keyframe in "
                             f"its segment of frames {start} to {end}: only keyframes are imported")
        segments.append(keyframes)
    first = segments[0][0]
    row: dict[str, Any] = {}
    if first.extra.get("uuid"):
        row["uuid"] = str(first.extra["uuid"])
    row["dataRow"] = dict(data_row)
    _feature(row, first)
    row["classifications"] = []
    row["segments"] = [{"keyframes": [_keyframe(a, nested, geometry) for a in keyframes]} for keyframes in segments]
    return row


def _keyframe(annotation: VideoObjectAnnotation, nested: Callable[[ClassificationAnnotation], dict[str, Any]],
              geometry: Callable[[Any], tuple[str, Any]]) -> dict[str, Any]:
    if type(annotation.value) not in _KEYFRAME_GEOMETRY:
        raise TypeError(f"a video object is a Rectangle, Point or Line; {annotation.name!r} at frame "
                        f"{annotation.frame} is a {type(annotation.value).__name__}")
    key, value = geometry(annotation.value)
    return {"frame": annotation.frame, key: value, "classifications": [nested(c) for c in annotation.classifications]}


def _texts(group: list[VideoAnnotation], data_row: dict[str, Any]) -> dict[str, Any]:
    by_text: dict[str, list[VideoAnnotation]] = {}
    for annotation in group:
        assert isinstance(annotation.value, Text)
        by_text.setdefault(annotation.value.answer, []).append(annotation)
    ordered = sorted(by_text.items(), key=lambda item: min(a.frame for a in item[1]))
    row: dict[str, Any] = {}
    _feature(row, group[0])
    row["answer"] = [{"value": text, "frames": [{"start": s, "end": e} for s, e in frame_ranges(annotations)]}
                     for text, annotations in ordered]
    row["dataRow"] = dict(data_row)
    return row


def _masks(annotation: VideoMaskAnnotation, data_row: dict[str, Any]) -> dict[str, Any]:
    frames = []
    for frame in annotation.frames:
        shaped: dict[str, Any] = {"index": frame.index}
        if frame.instance_uri is not None:
            shaped["instanceURI"] = frame.instance_uri
        if frame.im_bytes is not None:
            shaped["imBytes"] = base64.b64encode(frame.im_bytes).decode("ascii")
        frames.append(shaped)
    instances = []
    for instance in annotation.instances:
        named: dict[str, Any] = {"name": instance.name}
        if instance.feature_schema_id is not None:
            named["featureSchemaId"] = instance.feature_schema_id
        named["colorRGB"] = list(instance.color_rgb)
        instances.append(named)
    return {"uuid": str(uuid.uuid4()), "dataRow": dict(data_row), "masks": {"frames": frames, "instances": instances}}
