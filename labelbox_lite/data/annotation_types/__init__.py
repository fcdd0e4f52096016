"""`labelbox.data.annotation_types`: the annotation types labelbox_lite has (also at `labelbox_lite.types`)."""

from ...types import (
    Checklist,
    ClassificationAnnotation,
    ClassificationAnswer,
    GenericDataRowData,
    Label,
    Line,
    Mask,
    MaskData,
    ObjectAnnotation,
    Point,
    Polygon,
    Radio,
    Rectangle,
    Text,
    TextEntity,
)

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
