"""Annotation types, with the Labelbox SDK's names: a Label of one data row and its annotations.

Values are checked when built, so a bad annotation fails where it is written,
not later inside an import. `labelbox_lite.ndjson` turns Labels into the NDJSON
rows an import uploads.
"""

from __future__ import annotations

import importlib
import math
import uuid
import warnings
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeAlias

from attrs import define, field, frozen, validators

from .not_ported import members

if TYPE_CHECKING:  # the names defined in labelbox_lite.data.annotation_types, loaded on first use (below)
    from .data.annotation_types.data.tiled_image import EPSG as EPSG
    from .data.annotation_types.data.tiled_image import TiledBounds as TiledBounds
    from .data.annotation_types.data.tiled_image import TiledImageData as TiledImageData
    from .data.annotation_types.data.tiled_image import TileLayer as TileLayer
    from .data.annotation_types.geometry import DocumentRectangle as DocumentRectangle
    from .data.annotation_types.geometry import RectangleUnit as RectangleUnit
    from .data.annotation_types.ner import ConversationEntity as ConversationEntity
    from .data.annotation_types.ner import DocumentEntity as DocumentEntity
    from .data.annotation_types.ner import DocumentTextSelection as DocumentTextSelection
    from .data.annotation_types.temporal import TemporalClassificationAnswer as TemporalClassificationAnswer
    from .data.annotation_types.temporal import TemporalClassificationQuestion as TemporalClassificationQuestion
    from .data.annotation_types.temporal import TemporalClassificationText as TemporalClassificationText
    from .data.annotation_types.video import MaskFrame as MaskFrame
    from .data.annotation_types.video import MaskInstance as MaskInstance
    from .data.annotation_types.video import VideoClassificationAnnotation as VideoClassificationAnnotation
    from .data.annotation_types.video import VideoMaskAnnotation as VideoMaskAnnotation
    from .data.annotation_types.video import VideoObjectAnnotation as VideoObjectAnnotation


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

def _one_key(instance: Any, _attribute: Any, _value: Any) -> None:
    given = [key for key in ("uid", "global_key", "external_id") if getattr(instance, key) is not None]
    if len(given) != 1:
        raise ValueError(f"GenericDataRowData needs exactly one of uid or global_key (or external_id), got {given}")


@frozen
class GenericDataRowData:
    """Which data row a label is about: by `uid` (data row id) or by `global_key`. `external_id` is
    accepted, as the SDK accepts it, but an import names data rows by id or global key only."""

    uid: str | None = None
    global_key: str | None = None
    external_id: str | None = field(default=None, validator=_one_key)
    url: str | None = None
    metadata: list[dict[str, Any]] | None = field(default=None, eq=False, hash=False)
    media_attributes: dict[str, Any] | None = field(default=None, eq=False, hash=False)
    class_name: str = "GenericDataRowData"

    def create_url(self, signer: Any = None) -> str | None:
        return self.url


def _data(value: GenericDataRowData | Mapping[str, Any]) -> GenericDataRowData:
    if isinstance(value, GenericDataRowData):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"uid", "global_key", "external_id"}
        if unknown:
            raise ValueError(f"Label data takes uid or global_key; got {sorted(unknown)}")
        return GenericDataRowData(uid=value.get("uid"), global_key=value.get("global_key"),
                                  external_id=value.get("external_id"))
    raise TypeError(f"Label data must be GenericDataRowData or a dict with uid or global_key, got {value!r}")


# -- geometry -------------------------------------------------------------------------------------------

@frozen
class Point:
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)
    x: float = field(converter=float, validator=_finite)
    y: float = field(converter=float, validator=_finite)
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)


@frozen
class Rectangle:
    """An axis-aligned box between two corners."""
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)

    start: Point
    end: Point
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)

    @classmethod
    def from_xyhw(cls, x: float, y: float, h: float, w: float) -> Rectangle:
        return cls(start=Point(x=x, y=y), end=Point(x=x + w, y=y + h))


def _closed(points: Sequence[Point]) -> list[Point]:
    """A polygon's ring ends where it starts, as Labelbox stores it."""
    points = list(points)
    if len(points) >= 3 and points[0] != points[-1]:
        points.append(points[0])
    return points


# Typed converters instead of `converter=list`: mypy's attrs plugin reads a converter's parameter as the
# __init__ argument's type, and `list`'s is an Iterable[_T] it cannot solve, so every call would fail.
def _points(points: Iterable[Point]) -> list[Point]:
    return list(points)


def _at_least(count: int, what: str) -> Any:
    def check(_instance: Any, _attribute: Any, points: list[Point]) -> None:
        if len(points) < count:
            raise ValueError(f"a {what} needs at least {count} points, got {len(points)}")
        if not all(isinstance(point, Point) for point in points):
            raise TypeError(f"a {what}'s points must be Point objects")

    return check


@frozen
class Polygon:
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)
    points: list[Point] = field(converter=_closed, validator=_at_least(3, "polygon"))
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)


@frozen
class Line:
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)
    points: list[Point] = field(converter=_points, validator=_at_least(2, "line"))
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)


def _one_mask_source(instance: Any, _attribute: Any, _value: Any) -> None:
    given = [name for name in ("url", "arr", "im_bytes") if getattr(instance, name) is not None]
    if len(given) != 1:
        raise ValueError(f"MaskData needs exactly one of url, arr or im_bytes, got {given or 'none'}")


@frozen
class MaskData:
    """A mask's pixels: a `url` of a mask image, `arr` (rows of pixel values, or of [r, g, b]),
    or `im_bytes`, the bytes of a local PNG."""
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)

    url: str | None = None
    arr: list[list[Any]] | None = None
    im_bytes: bytes | None = field(default=None, validator=_one_mask_source)
    file_path: str | None = None
    uid: str | None = None
    global_key: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.file_path is not None:
            raise ValueError("labelbox_lite reads a local mask from im_bytes: give MaskData(im_bytes=open(path, "
                             "'rb').read()) rather than file_path")

    @classmethod
    def from_2D_arr(cls, arr: Sequence[Sequence[int]], **kwargs: Any) -> MaskData:  # noqa: N802 - the SDK's name
        rows = [list(row) for row in arr]
        if not rows or len({len(row) for row in rows}) != 1 or not rows[0]:
            raise ValueError("a mask array is a non-empty rectangle of rows")
        return cls(arr=rows, **kwargs)


def _color(value: int | Sequence[int]) -> tuple[int, int, int]:
    color = (value, value, value) if isinstance(value, int) else tuple(value)
    if len(color) != 3 or not all(isinstance(c, int) and 0 <= c <= 255 for c in color):
        raise ValueError(f"a mask color is an int or three ints within [0, 255], got {value!r}")
    return color


@frozen
class Mask:
    """The pixels of `mask` that have `color` belong to the annotation."""
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)

    mask: MaskData
    color: tuple[int, int, int] = field(default=(255, 255, 255), converter=_color)
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)


@frozen
class TextEntity:
    """A span of a text data row, by character offsets."""

    start: int
    end: int
    extra: dict[str, Any] = field(factory=dict, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.end, int)) or not 0 <= self.start <= self.end:
            raise ValueError(f"TextEntity needs integers 0 <= start <= end, got start={self.start!r}, end={self.end!r}")


Geometry = Rectangle | Point | Polygon | Line | Mask | TextEntity


def _metrics(value: Any) -> list[CustomMetric] | None:
    """Custom metrics as CustomMetric objects; dicts ({"name", "value"}) are read as the SDK reads them."""
    if value is None:
        return None
    return [CustomMetric(**m) if isinstance(m, Mapping) else m for m in value]


# -- classifications -------------------------------------------------------------------------------------

@define
class ClassificationAnswer:
    """One chosen option, by name or feature_schema_id, with optional nested classifications."""

    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    confidence: float | None = field(default=None, validator=_confidence)
    classifications: list[ClassificationAnnotation] | None = None
    custom_metrics: list[CustomMetric] | None = field(default=None, converter=_metrics)
    extra: dict[str, Any] = field(factory=dict)
    keyframe: bool | None = None


@define
class Radio:
    answer: ClassificationAnswer
    confidence: float | None = field(default=None, validator=_confidence)
    custom_metrics: list[CustomMetric] | None = field(default=None, converter=_metrics)


@define
class Checklist:
    answer: list[ClassificationAnswer]
    confidence: float | None = field(default=None, validator=_confidence)

    def __attrs_post_init__(self) -> None:
        if not self.answer:
            raise ValueError("a Checklist needs at least one answer")


@define
class Text:
    """A free-text answer; `classifications` nest under it, `custom_metrics` score it."""

    answer: str
    confidence: float | None = field(default=None, validator=_confidence)
    custom_metrics: list[CustomMetric] | None = field(default=None, converter=_metrics)
    classifications: list[ClassificationAnnotation] | None = None


@define
class ClassificationAnnotation:
    """A classification of a whole data row (or, nested, of an object or an answer)."""

    value: Radio | Checklist | Text
    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    confidence: float | None = field(default=None, validator=_confidence)
    extra: dict[str, Any] = field(factory=dict)
    custom_metrics: list[CustomMetric] | None = field(default=None, converter=_metrics)
    message_id: str | None = None
    # the row's uuid, fixed when built (extra["uuid"] or a new one), so a relationship can name it
    _uuid: str = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._uuid = str(self.extra.get("uuid") or uuid.uuid4())


# -- objects and labels ------------------------------------------------------------------------------------

def _geometry(_instance: Any, _attribute: Any, value: Any) -> None:
    # an object's value defined elsewhere (DocumentEntity) marks itself with `object_value`
    if not isinstance(value, (Rectangle, Point, Polygon, Line, Mask, TextEntity)) and not getattr(
            type(value), "object_value", False):
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
    custom_metrics: list[CustomMetric] | None = field(default=None, converter=_metrics)
    _uuid: str = field(init=False, repr=False, eq=False)  # as ClassificationAnnotation's

    def __attrs_post_init__(self) -> None:
        self._uuid = str(self.extra.get("uuid") or uuid.uuid4())


# -- relationships -----------------------------------------------------------------------------------------

class _RelationshipType(Enum):
    UNIDIRECTIONAL = "unidirectional"
    BIDIRECTIONAL = "bidirectional"


def _relationship_source(instance: Any, _attribute: Any, _value: Any) -> None:
    if instance.source is None and instance.source_ontology_name is None:
        raise ValueError("Either source or source_ontology_name must be provided")
    if instance.source is not None and instance.source_ontology_name is not None:
        raise ValueError("Only one of 'source' or 'source_ontology_name' may be provided")


@define
class Relationship:
    """Two annotations of one label joined by a relationship tool: from `source` (an annotation, or
    a feature named by `source_ontology_name`) to `target`."""

    Type = _RelationshipType

    target: ObjectAnnotation = field(kw_only=True, validator=validators.instance_of(ObjectAnnotation))
    source: ObjectAnnotation | ClassificationAnnotation | None = field(
        default=None, kw_only=True,
        validator=validators.optional(validators.instance_of((ObjectAnnotation, ClassificationAnnotation))))
    source_ontology_name: str | None = field(default=None, kw_only=True)
    type: _RelationshipType = field(default=_RelationshipType.UNIDIRECTIONAL, kw_only=True,
                                    validator=validators.instance_of(_RelationshipType))
    readonly: bool | None = field(default=None, kw_only=True, validator=_relationship_source)

    def __attrs_post_init__(self) -> None:
        if self.readonly is True:
            warnings.warn("Creating a relationship with readonly=True is in beta and its behavior may change in "
                          "future releases.", stacklevel=2)


@define
class RelationshipAnnotation:
    """A relationship tool's annotation: its `value` names both ends."""

    value: Relationship = field(validator=validators.instance_of(Relationship))
    name: str | None = None
    feature_schema_id: str | None = field(default=None, validator=_feature_named)
    extra: dict[str, Any] = field(factory=dict)
    _uuid: str = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        self._uuid = str(self.extra.get("uuid") or uuid.uuid4())


# -- metrics -----------------------------------------------------------------------------------------------

@frozen
class CustomMetric:
    """A named score attached to an annotation or an answer."""

    name: str = field(validator=validators.instance_of(str))
    value: float = field(validator=validators.instance_of((int, float)))

    def __attrs_post_init__(self) -> None:
        if isinstance(self.value, bool) or not math.isfinite(self.value):
            raise ValueError(f"a custom metric's value is a finite number, got {self.value!r}")


class ScalarMetricAggregation(Enum):
    ARITHMETIC_MEAN = "ARITHMETIC_MEAN"
    GEOMETRIC_MEAN = "GEOMETRIC_MEAN"
    HARMONIC_MEAN = "HARMONIC_MEAN"
    SUM = "SUM"


class ConfusionMatrixAggregation(Enum):
    CONFUSION_MATRIX = "CONFUSION_MATRIX"


# a metric's value: one number (or four counts), or one per confidence
ScalarMetricValue = float
ConfusionMatrixMetricValue = tuple[int, int, int, int]


# names Labelbox computes itself
RESERVED_METRIC_NAMES = ("true_positive_count", "false_positive_count", "true_negative_count",
                         "false_negative_count", "precision", "recall", "f1", "iou")
SCALAR_MAX = 100_000_000


def _by_confidence(value: Any, check: Any) -> None:
    if isinstance(value, Mapping):
        if not value:
            raise ValueError("a metric value by confidence needs at least one confidence")
        for confidence, each in value.items():
            if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
                raise ValueError(f"metric confidences are numbers within [0, 1], got {confidence!r}")
            check(each)
    else:
        check(value)


def _scalar(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= SCALAR_MAX:
        raise ValueError(f"a scalar metric's value is a number within [0, {SCALAR_MAX}], got {value!r}")


def _counts(value: Any) -> None:
    if (not isinstance(value, (tuple, list)) or len(value) != 4
            or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in value)):
        raise ValueError(f"a confusion matrix value is four non-negative counts (tp, fp, tn, fn), got {value!r}")


def _metric_name(_instance: Any, _attribute: Any, value: str | None) -> None:
    if value is not None and value.strip().lower() in RESERVED_METRIC_NAMES:
        raise ValueError(f"`{value.strip().lower()}` is a reserved metric name. "
                         "Please provide another value for `metric_name`.")


@define
class ScalarMetric:
    """A score of a data row (or of one feature), optionally by confidence: {confidence: value}."""

    value: float | dict[float, float]
    metric_name: str | None = field(default=None, validator=_metric_name)
    feature_name: str | None = None
    subclass_name: str | None = None
    aggregation: ScalarMetricAggregation | None = ScalarMetricAggregation.ARITHMETIC_MEAN
    extra: dict[str, Any] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        _by_confidence(self.value, _scalar)


@define
class ConfusionMatrixMetric:
    """(tp, fp, tn, fn) counts of a data row (or of one feature), optionally by confidence."""

    value: tuple[int, int, int, int] | dict[float, tuple[int, int, int, int]]
    metric_name: str = field(validator=validators.instance_of(str))
    feature_name: str | None = None
    subclass_name: str | None = None
    aggregation: ConfusionMatrixAggregation | None = ConfusionMatrixAggregation.CONFUSION_MATRIX
    extra: dict[str, Any] = field(factory=dict)

    def __attrs_post_init__(self) -> None:
        _by_confidence(self.value, _counts)


Annotation = ObjectAnnotation | ClassificationAnnotation | RelationshipAnnotation
Metric = ScalarMetric | ConfusionMatrixMetric
_ANNOTATION_TYPES = (ObjectAnnotation, ClassificationAnnotation, RelationshipAnnotation, ScalarMetric,
                     ConfusionMatrixMetric)


# what a Label holds; a string, since video masks and temporal classifications are imported for type checkers only
LabelAnnotation: TypeAlias = ("Annotation | Metric | VideoMaskAnnotation | TemporalClassificationText"
                              " | TemporalClassificationQuestion")


def _annotations(_instance: Any, _attribute: Any, value: list[Any]) -> None:
    # annotations defined elsewhere (video masks, temporal classifications) mark themselves with `label_annotation`
    wrong = [type(item).__name__ for item in value
             if not isinstance(item, _ANNOTATION_TYPES) and not getattr(type(item), "label_annotation", False)]
    if wrong:
        raise TypeError("a Label's annotations are ObjectAnnotation, ClassificationAnnotation, "
                        f"RelationshipAnnotation, ScalarMetric, ConfusionMatrixMetric, VideoMaskAnnotation or a "
                        f"TemporalClassification (Text or Question), got {wrong[:3]}")


def _annotation_list(annotations: Iterable[LabelAnnotation]) -> list[LabelAnnotation]:
    return list(annotations)  # typed, unlike converter=list (see _points)


@define
class Label:
    """The annotations (here: predictions) of one data row."""
    __getattr__ = members("types.")  # an SDK member not ported names itself (docs/porting.md)

    data: GenericDataRowData = field(converter=_data)
    # the SDK types video masks and temporal classifications in too; their modules import this one (TYPE_CHECKING)
    annotations: list[LabelAnnotation] = field(factory=list, converter=_annotation_list, validator=_annotations)
    extra: dict[str, Any] = field(factory=dict)
    uid: str | None = None
    is_benchmark_reference: bool | None = False

    def object_annotations(self) -> list[ObjectAnnotation]:
        return [a for a in self.annotations if isinstance(a, ObjectAnnotation)]

    def classification_annotations(self) -> list[ClassificationAnnotation]:
        return [a for a in self.annotations if isinstance(a, ClassificationAnnotation)]

    def frame_annotations(self) -> dict[int | None, list[Any]]:
        """Video objects and classifications by their frame, and temporal classifications by the start of
        their first range (text: first value; question: its first answer's first range), as the SDK files them.
        A temporal classification without a range is left out, as there."""
        # their modules import this one: loaded as `types.<name>` is (PEP 562), never imported from here
        video = (__getattr__("VideoObjectAnnotation"), __getattr__("VideoClassificationAnnotation"))
        text, question = __getattr__("TemporalClassificationText"), __getattr__("TemporalClassificationQuestion")
        frames: dict[int | None, list[Any]] = {}
        for annotation in self.annotations:
            if isinstance(annotation, video):
                frames.setdefault(annotation.frame, []).append(annotation)
            elif isinstance(annotation, text) and annotation.value:
                frames.setdefault(annotation.value[0][0], []).append(annotation)
            elif isinstance(annotation, question) and annotation.value and annotation.value[0].frames:
                frames.setdefault(annotation.value[0].frames[0][0], []).append(annotation)
        return frames


# Types defined by the modules of labelbox_lite.data.annotation_types (which build on the ones above),
# exported here too as the SDK's `labelbox.types` exports them; each loads on first use (PEP 562).
_ELSEWHERE: dict[str, str] = {
    "ConversationEntity": "ner",
    "DocumentEntity": "ner",
    "DocumentRectangle": "geometry",
    "DocumentTextSelection": "ner",
    "EPSG": "data.tiled_image",
    "RectangleUnit": "geometry",
    "TileLayer": "data.tiled_image",
    "TiledBounds": "data.tiled_image",
    "TiledImageData": "data.tiled_image",
    "TemporalClassificationAnswer": "temporal",
    "TemporalClassificationQuestion": "temporal",
    "TemporalClassificationText": "temporal",
    "MaskFrame": "video",
    "MaskInstance": "video",
    "VideoClassificationAnnotation": "video",
    "VideoMaskAnnotation": "video",
    "VideoObjectAnnotation": "video",
}


def __getattr__(name: str) -> Any:
    module = _ELSEWHERE.get(name)
    if module is None:  # an SDK name labelbox_lite leaves out is named as such (docs/porting.md)
        from .not_ported import refuse_module_name
        refuse_module_name("types.", __name__, name)
    value = getattr(importlib.import_module(f"labelbox_lite.data.annotation_types.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    *_ELSEWHERE,
    "Checklist",
    "ClassificationAnnotation",
    "ClassificationAnswer",
    "ConfusionMatrixAggregation",
    "ConfusionMatrixMetric",
    "ConfusionMatrixMetricValue",
    "GenericDataRowData",
    "Geometry",
    "Label",
    "Line",
    "Mask",
    "MaskData",
    "ObjectAnnotation",
    "Point",
    "Polygon",
    "Radio",
    "Rectangle",
    "Relationship",
    "RelationshipAnnotation",
    "ScalarMetric",
    "ScalarMetricAggregation",
    "ScalarMetricValue",
    "Text",
    "TextEntity",
]
