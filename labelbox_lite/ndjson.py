"""Labels as NDJSON prediction rows, in the shape (keys and key order) the Labelbox SDK uploads.

One row per annotation. Objects: `[confidence,] uuid, dataRow, name|schemaId,
classifications, <geometry>`; classifications: `[confidence,] name|schemaId,
answer, uuid, dataRow`; relationships (written first): `uuid, dataRow, name|schemaId,
relationship {source, target, type}`, the ends by their rows' uuids. An annotation's uuid
is `extra["uuid"]` when given, else a uuid4 fixed when it was built.

Where the SDK loses a value given, this keeps it: an object's confidence of 0.0
(the SDK tests it for truth and drops it), and a Text classification's
annotation-level confidence (the SDK reads only the Text's own).
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .data.annotation_types.geometry import DocumentRectangle
from .data.annotation_types.ner import ConversationEntity, DocumentEntity
from .data.annotation_types.temporal import TemporalClassificationQuestion, TemporalClassificationText
from .data.annotation_types.video import VideoClassificationAnnotation, VideoMaskAnnotation, VideoObjectAnnotation
from .fast_json import dumps_stdlib
from .ndjson_temporal import temporal_rows
from .ndjson_video import video_rows
from .png import read_pixels
from .types import (
    Checklist,
    ClassificationAnnotation,
    ClassificationAnswer,
    ConfusionMatrixMetric,
    CustomMetric,
    Label,
    Line,
    Mask,
    ObjectAnnotation,
    Point,
    Polygon,
    Radio,
    Rectangle,
    RelationshipAnnotation,
    ScalarMetric,
    Text,
    TextEntity,
)

# Labelbox refuses more annotations than this for one feature of one data row in an import.
ANNOTATION_PER_LABEL_LIMIT = 5000
_ERRORS_SHOWN = 100


def serialize_labels(labels: Iterable[Label]) -> list[dict[str, Any]]:
    return [row for label in labels for row in label_to_ndjson(label)]


def label_to_ndjson(label: Label) -> list[dict[str, Any]]:
    data = label.data
    data_row = {"id": data.uid} if data.uid is not None else {"globalKey": data.global_key}
    # relationships come first, as the SDK writes them; the mock checks their ends once all rows are read
    rows = [_relationship(annotation, data_row) for annotation in label.annotations
            if isinstance(annotation, RelationshipAnnotation)]
    video = []  # written after the others, one row per feature, as the SDK writes them
    # written last, one row per classification name
    temporal: list[TemporalClassificationText | TemporalClassificationQuestion] = []
    for annotation in label.annotations:
        if isinstance(annotation, (VideoObjectAnnotation, VideoClassificationAnnotation, VideoMaskAnnotation)):
            video.append(annotation)
        elif isinstance(annotation, (TemporalClassificationText, TemporalClassificationQuestion)):
            temporal.append(annotation)
        elif isinstance(annotation, ObjectAnnotation):
            rows.append(_object(annotation, data_row))
        elif isinstance(annotation, RelationshipAnnotation):
            continue
        elif isinstance(annotation, (ScalarMetric, ConfusionMatrixMetric)):
            rows.append(_metric(annotation, data_row))
        else:
            rows.append(_classification(annotation, data_row))
    if video:
        rows.extend(video_rows(video, data_row, _nested, _classification, _geometry))
    if temporal:
        rows.extend(temporal_rows(temporal, data_row))
    return rows


def _metric(metric: ScalarMetric | ConfusionMatrixMetric, data_row: dict[str, Any]) -> dict[str, Any]:
    """A metric row as the SDK writes it: no uuid unless `extra` gives one; confidences as string keys."""
    row: dict[str, Any] = {}
    if metric.extra.get("uuid"):
        row["uuid"] = str(metric.extra["uuid"])
    row["dataRow"] = dict(data_row)
    value = metric.value
    if isinstance(value, dict):
        row["metricValue"] = {str(confidence): list(each) if isinstance(each, tuple) else each
                              for confidence, each in value.items()}
    else:
        row["metricValue"] = list(value) if isinstance(value, tuple) else value
    if metric.feature_name is not None:
        row["featureName"] = metric.feature_name
    if metric.subclass_name is not None:
        row["subclassName"] = metric.subclass_name
    if metric.metric_name is not None:
        row["metricName"] = metric.metric_name
    if metric.aggregation is not None:
        row["aggregation"] = metric.aggregation.value
    return row


def _custom_metrics(row: dict[str, Any], metrics: list[CustomMetric] | None) -> None:
    if metrics:
        row["customMetrics"] = [{"name": m.name, "value": float(m.value)} for m in metrics]


def dumps(rows: Iterable[dict[str, Any]]) -> str:
    """NDJSON text: one JSON object per line (as json.dumps writes it), no trailing newline."""
    return dumps_stdlib(rows)


class NDJsonConverter:
    """The SDK's entry point for the conversion, for scripts that call it by that name."""

    @staticmethod
    def serialize(labels: Iterable[Label]) -> list[dict[str, Any]]:
        return serialize_labels(labels)


def _feature(row: dict[str, Any],
             named: ObjectAnnotation | ClassificationAnnotation | ClassificationAnswer | RelationshipAnnotation) -> None:
    if named.name is not None:
        row["name"] = named.name
    if named.feature_schema_id is not None:
        row["schemaId"] = named.feature_schema_id


def _object(annotation: ObjectAnnotation, data_row: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    _custom_metrics(row, annotation.custom_metrics)
    if annotation.confidence is not None:
        row["confidence"] = annotation.confidence
    row["uuid"] = annotation._uuid
    row["dataRow"] = dict(data_row)
    _feature(row, annotation)
    if isinstance(annotation.value, ConversationEntity):
        row["messageId"] = annotation.value.message_id
    if isinstance(annotation.value, DocumentRectangle):
        row["page"] = annotation.value.page
        row["unit"] = annotation.value.unit.value
    row["classifications"] = [_nested(nested) for nested in annotation.classifications]
    key, value = _geometry(annotation.value)
    row[key] = value
    return row


def _classification(annotation: ClassificationAnnotation, data_row: dict[str, Any]) -> dict[str, Any]:
    row = _nested(annotation, top_level=True)
    row["uuid"] = annotation._uuid
    row["dataRow"] = dict(data_row)
    if annotation.message_id is not None:
        row["messageId"] = annotation.message_id
    return row


def _relationship(annotation: RelationshipAnnotation, data_row: dict[str, Any]) -> dict[str, Any]:
    """A relationship row: its ends by the uuids their own rows carry (so both must be in the import)."""
    value = annotation.value
    if not isinstance(value.source, ObjectAnnotation):  # a feature by name is for document targets, not served
        raise TypeError(f"Unable to create relationship with non ObjectAnnotation source: {type(value.source)}")
    relationship: dict[str, Any] = {"source": value.source._uuid, "target": value.target._uuid,
                                    "type": value.type.value}
    if value.readonly is not None:
        relationship["readonly"] = value.readonly
    row: dict[str, Any] = {"uuid": annotation._uuid, "dataRow": dict(data_row)}
    _feature(row, annotation)
    row["relationship"] = relationship
    return row


def _nested(annotation: ClassificationAnnotation, top_level: bool = False) -> dict[str, Any]:
    """A classification without its uuid and dataRow, as it appears nested in objects and answers."""
    row: dict[str, Any] = {}
    value = annotation.value
    confidence = value.confidence if isinstance(value, Text) and value.confidence is not None else annotation.confidence
    if isinstance(value, Text) and value.custom_metrics:  # a Text's own metrics, written first as the SDK does
        _custom_metrics(row, value.custom_metrics)
        if not top_level:  # the SDK writes a nested Text's metrics under their Python name; so does this
            row["custom_metrics"] = row.pop("customMetrics")
    if confidence is not None:
        row["confidence"] = confidence
    if "customMetrics" not in row:
        _custom_metrics(row, annotation.custom_metrics)
    _feature(row, annotation)
    if isinstance(value, Radio):
        row["answer"] = _answer(value.answer)
    elif isinstance(value, Checklist):
        row["answer"] = [_answer(answer) for answer in value.answer]
    else:
        row["answer"] = value.answer
    return row


def _answer(answer: ClassificationAnswer) -> dict[str, Any]:
    row: dict[str, Any] = {}
    _custom_metrics(row, answer.custom_metrics)
    if answer.confidence is not None:
        row["confidence"] = answer.confidence
    _feature(row, answer)
    if answer.classifications:
        row["classifications"] = [_nested(nested) for nested in answer.classifications]
    return row


def _xy(point: Point) -> dict[str, float]:
    return {"x": point.x, "y": point.y}


def _geometry(value: Any) -> tuple[str, Any]:
    if isinstance(value, Rectangle):
        top, left = min(value.start.y, value.end.y), min(value.start.x, value.end.x)
        return "bbox", {"top": top, "left": left, "height": abs(value.end.y - value.start.y),
                        "width": abs(value.end.x - value.start.x)}
    if isinstance(value, Point):
        return "point", _xy(value)
    if isinstance(value, Polygon):
        return "polygon", [_xy(point) for point in value.points]
    if isinstance(value, Line):
        return "line", [_xy(point) for point in value.points]
    if isinstance(value, Mask):
        if value.mask.url is not None:
            return "mask", {"instanceURI": value.mask.url, "colorRGB": list(value.color)}
        # a local PNG is read and sent, as an array is, as the binary mask of its pixels that have the colour
        pixels = value.mask.arr if value.mask.arr is not None else read_pixels(value.mask.im_bytes or b"")
        return "mask", {"png": base64.b64encode(_binary_png(pixels, value.color)).decode("ascii")}
    if isinstance(value, TextEntity):
        return "location", {"start": value.start, "end": value.end}
    if isinstance(value, DocumentEntity):
        return "textSelections", [{"tokenIds": list(s.token_ids), "groupId": s.group_id, "page": s.page}
                                  for s in value.text_selections]
    raise TypeError(f"no NDJSON form for {type(value).__name__}")


def _binary_png(arr: list[list[Any]], color: tuple[int, int, int]) -> bytes:
    """An 8-bit greyscale PNG with 1 where a pixel has `color` and 0 elsewhere (a 2-D pixel p means [p, p, p])."""

    def hit(pixel: Any) -> int:
        channels = tuple(pixel) if isinstance(pixel, (list, tuple)) else (pixel, pixel, pixel)
        return 1 if channels == color else 0

    height, width = len(arr), len(arr[0])
    raw = b"".join(b"\x00" + bytes(hit(pixel) for pixel in row) for row in arr)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    # the zlib settings Pillow uses for PNG; rows are left unfiltered, so a large mask's bytes may
    # differ from the SDK's while the image is the same
    packer = zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_FILTERED)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = packer.compress(raw) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def check_rows(rows: list[Any]) -> None:
    """The checks Labelbox's clients make before an upload: each row names one data row, not too many per feature.

    Raises one ValueError listing every problem found (the first hundred).
    """
    problems: list[str] = []
    per_feature: Counter[tuple[str, str]] = Counter()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            problems.append(f"row {index}: a prediction is a dict, got {type(row).__name__}")
            continue
        data_row = row.get("dataRow")
        if not isinstance(data_row, dict):
            problems.append(f"row {index}: 'dataRow' is missing in {_short(row)}")
            continue
        given = [key for key in ("id", "globalKey") if data_row.get(key)]
        if len(given) != 1:
            problems.append(f"row {index}: give exactly one of 'id' or 'globalKey' in 'dataRow' of {_short(row)}")
            continue
        if isinstance(row.get("name"), str):
            per_feature[(str(data_row[given[0]]), row["name"])] += 1
    for (data_row_key, name), count in per_feature.items():
        if count > ANNOTATION_PER_LABEL_LIMIT:
            problems.append(f"data row {data_row_key} has {count} annotations of {name!r}; an import takes at most "
                            f"{ANNOTATION_PER_LABEL_LIMIT} per feature of a data row")
    if problems:
        shown = "\n".join(problems[:_ERRORS_SHOWN])
        more = f"\n... and {len(problems) - _ERRORS_SHOWN} more" if len(problems) > _ERRORS_SHOWN else ""
        raise ValueError(f"{len(problems)} predictions cannot be imported:\n{shown}{more}")


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."
