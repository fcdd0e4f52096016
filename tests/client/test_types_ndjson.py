"""Annotation types and their NDJSON rows: the same rows, key for key, as the Labelbox SDK produces."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from labelbox_lite import types as lt
from labelbox_lite.ndjson import NDJsonConverter, check_rows, dumps, serialize_labels

from ..support.label_strategies import labels

P = lt.Point

# What labelbox 7.17.0's serializer wrote for these labels (captured from the SDK; uuids fixed).
REFERENCE = """\
{"confidence": 0.9, "uuid": "u-01", "dataRow": {"globalKey": "gk-1"}, "name": "bbox", "classifications": [], "bbox": {"top": 20.0, "left": 10.0, "height": 200.0, "width": 100.0}}
{"uuid": "u-02", "dataRow": {"globalKey": "gk-1"}, "name": "bbox_with_radio", "classifications": [{"name": "sub_radio", "answer": {"confidence": 0.5, "name": "first_sub_radio_answer"}}], "bbox": {"top": 2.0, "left": 1.0, "height": 2.0, "width": 2.0}}
{"uuid": "u-03", "dataRow": {"globalKey": "gk-1"}, "name": "polygon", "classifications": [], "polygon": [{"x": 1.0, "y": 1.0}, {"x": 10.0, "y": 1.0}, {"x": 10.0, "y": 10.0}, {"x": 1.0, "y": 1.0}]}
{"uuid": "u-04", "dataRow": {"globalKey": "gk-1"}, "name": "point", "classifications": [], "point": {"x": 5.5, "y": 6.5}}
{"uuid": "u-05", "dataRow": {"globalKey": "gk-1"}, "name": "polyline", "classifications": [], "line": [{"x": 0.0, "y": 0.0}, {"x": 5.0, "y": 5.0}, {"x": 9.0, "y": 1.0}]}
{"uuid": "u-06", "dataRow": {"globalKey": "gk-1"}, "name": "mask_url", "classifications": [], "mask": {"instanceURI": "https://storage.example.com/mask.png", "colorRGB": [255, 255, 255]}}
{"uuid": "u-07", "dataRow": {"globalKey": "gk-1"}, "name": "mask_arr", "classifications": [], "mask": {"png": "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGRgZAAAAAwAAzi4CA8AAAAASUVORK5CYII="}}
{"confidence": 0.7, "uuid": "u-08", "dataRow": {"globalKey": "gk-1"}, "name": "named_entity", "classifications": [], "location": {"start": 10, "end": 20}}
{"name": "radio_question", "answer": {"confidence": 0.5, "name": "first_radio_answer"}, "uuid": "u-09", "dataRow": {"globalKey": "gk-1"}}
{"name": "checklist_question", "answer": [{"confidence": 0.5, "name": "first_checklist_answer"}, {"confidence": 0.5, "name": "second_checklist_answer"}], "uuid": "u-10", "dataRow": {"globalKey": "gk-1"}}
{"confidence": 0.5, "name": "free_text", "answer": "sample text", "uuid": "u-11", "dataRow": {"globalKey": "gk-1"}}
{"name": "nested_radio_question", "answer": {"name": "first_radio_answer", "classifications": [{"name": "sub_radio_question", "answer": {"name": "first_sub_radio_answer"}}]}, "uuid": "u-12", "dataRow": {"globalKey": "gk-1"}}
{"uuid": "u-13", "dataRow": {"id": "ckdatarow00000000000000001"}, "name": "bbox", "classifications": [], "bbox": {"top": 0.0, "left": 0.0, "height": 1.0, "width": 1.0}}
{"uuid": "u-14", "dataRow": {"id": "ckdr1"}, "schemaId": "ckfeatureschema0000000001", "classifications": [], "bbox": {"top": 2.0, "left": 1.0, "height": 2.0, "width": 2.0}}
{"name": "ck", "answer": [{"name": "a", "classifications": [{"name": "sub_text", "answer": "x"}]}], "uuid": "u-15", "dataRow": {"id": "ckdr1"}}
{"uuid": "u-16", "dataRow": {"id": "ckdr1"}, "name": "point_with_checklist", "classifications": [{"name": "sub_ck", "answer": [{"name": "o1"}]}], "point": {"x": 1.0, "y": 2.0}}
{"confidence": 0.4, "name": "q", "schemaId": "ckfeatureschema0000000002", "answer": {"schemaId": "ckfeatureschema0000000003"}, "uuid": "u-17", "dataRow": {"id": "ckdr1"}}
{"uuid": "u-18", "dataRow": {"id": "ckdr1"}, "name": "pt", "classifications": [{"confidence": 0.9, "name": "n", "answer": "x"}], "point": {"x": 1.0, "y": 2.0}}"""


def _reference_labels() -> list[lt.Label]:
    count = iter(range(1, 100))

    def u() -> dict[str, str]:
        return {"uuid": f"u-{next(count):02d}"}

    def radio(name: str, answer: str, confidence: float | None = None, **kw: Any) -> lt.ClassificationAnnotation:
        return lt.ClassificationAnnotation(name=name, value=lt.Radio(answer=lt.ClassificationAnswer(
            name=answer, confidence=confidence, **kw)))

    first: list[lt.ObjectAnnotation | lt.ClassificationAnnotation] = [
        lt.ObjectAnnotation(name="bbox", value=lt.Rectangle(start=P(x=10, y=20), end=P(x=110, y=220)), confidence=0.9,
                            extra=u()),
        lt.ObjectAnnotation(name="bbox_with_radio", value=lt.Rectangle(start=P(x=1, y=2), end=P(x=3, y=4)), extra=u(),
                            classifications=[radio("sub_radio", "first_sub_radio_answer", 0.5)]),
        lt.ObjectAnnotation(name="polygon", value=lt.Polygon(points=[P(x=1, y=1), P(x=10, y=1), P(x=10, y=10)]),
                            extra=u()),
        lt.ObjectAnnotation(name="point", value=P(x=5.5, y=6.5), extra=u()),
        lt.ObjectAnnotation(name="polyline", value=lt.Line(points=[P(x=0, y=0), P(x=5, y=5), P(x=9, y=1)]), extra=u()),
        lt.ObjectAnnotation(name="mask_url", value=lt.Mask(mask=lt.MaskData(url="https://storage.example.com/mask.png"),
                                                           color=(255, 255, 255)), extra=u()),
        lt.ObjectAnnotation(name="mask_arr", value=lt.Mask(mask=lt.MaskData.from_2D_arr([[0, 1], [1, 0]]),
                                                           color=(1, 1, 1)), extra=u()),
        lt.ObjectAnnotation(name="named_entity", value=lt.TextEntity(start=10, end=20), confidence=0.7, extra=u()),
        lt.ClassificationAnnotation(name="radio_question", extra=u(), value=lt.Radio(
            answer=lt.ClassificationAnswer(name="first_radio_answer", confidence=0.5))),
        lt.ClassificationAnnotation(name="checklist_question", extra=u(), value=lt.Checklist(answer=[
            lt.ClassificationAnswer(name="first_checklist_answer", confidence=0.5),
            lt.ClassificationAnswer(name="second_checklist_answer", confidence=0.5)])),
        lt.ClassificationAnnotation(name="free_text", extra=u(), value=lt.Text(answer="sample text", confidence=0.5)),
        lt.ClassificationAnnotation(name="nested_radio_question", extra=u(), value=lt.Radio(answer=lt.ClassificationAnswer(
            name="first_radio_answer", classifications=[radio("sub_radio_question", "first_sub_radio_answer")]))),
    ]
    second = [lt.ObjectAnnotation(name="bbox", value=lt.Rectangle(start=P(x=0, y=0), end=P(x=1, y=1)), extra=u())]
    third: list[lt.ObjectAnnotation | lt.ClassificationAnnotation] = [
        lt.ObjectAnnotation(feature_schema_id="ckfeatureschema0000000001", extra=u(),
                            value=lt.Rectangle(start=P(x=1, y=2), end=P(x=3, y=4))),
        lt.ClassificationAnnotation(name="ck", extra=u(), value=lt.Checklist(answer=[lt.ClassificationAnswer(
            name="a", classifications=[lt.ClassificationAnnotation(name="sub_text", value=lt.Text(answer="x"))])])),
        lt.ObjectAnnotation(name="point_with_checklist", value=P(x=1, y=2), extra=u(), classifications=[
            lt.ClassificationAnnotation(name="sub_ck", value=lt.Checklist(answer=[lt.ClassificationAnswer(name="o1")]))]),
        lt.ClassificationAnnotation(name="q", feature_schema_id="ckfeatureschema0000000002", confidence=0.4, extra=u(),
                                    value=lt.Radio(answer=lt.ClassificationAnswer(
                                        feature_schema_id="ckfeatureschema0000000003"))),
        lt.ObjectAnnotation(name="pt", value=P(x=1, y=2), extra=u(), classifications=[lt.ClassificationAnnotation(
            name="n", confidence=0.1, value=lt.Text(answer="x", confidence=0.9))]),
    ]
    return [lt.Label(data={"global_key": "gk-1"}, annotations=first),
            lt.Label(data=lt.GenericDataRowData(uid="ckdatarow00000000000000001"), annotations=second),
            lt.Label(data={"uid": "ckdr1"}, annotations=third)]


def test_labels_serialise_exactly_as_the_sdk_does() -> None:
    assert dumps(serialize_labels(_reference_labels())) == REFERENCE


def test_a_fresh_uuid_is_drawn_when_none_is_given() -> None:
    label = lt.Label(data={"uid": "d"}, annotations=[lt.ObjectAnnotation(name="p", value=P(x=1, y=1)) for _ in "ab"])
    first, second = NDJsonConverter.serialize([label])
    assert len(first["uuid"]) == 36 and first["uuid"] != second["uuid"]
    # drawn once, when the annotation is built (as the SDK does), so a relationship can name it
    assert NDJsonConverter.serialize([label]) == [first, second]


OBJECT_ORDER = ["confidence", "uuid", "dataRow", "name", "schemaId", "classifications"]
CLASSIFICATION_ORDER = ["confidence", "name", "schemaId", "answer", "uuid", "dataRow"]


def _in_order(keys: list[str], order: list[str]) -> bool:
    known = [key for key in keys if key in order]
    return known == sorted(known, key=order.index)


@settings(max_examples=150, deadline=None)
@given(labels())
def test_every_row_has_the_reference_shape(drawn: list[lt.Label]) -> None:
    rows = serialize_labels(drawn)
    assert len(rows) == sum(len(label.annotations) for label in drawn)
    annotations = [annotation for label in drawn for annotation in label.annotations]
    owners = [label for label in drawn for _ in label.annotations]
    for annotation, row, owner in zip(annotations, rows, owners):
        keys = list(row)
        assert not isinstance(annotation, (lt.ScalarMetric, lt.ConfusionMatrixMetric, lt.VideoMaskAnnotation,
                                           lt.TemporalClassificationText, lt.TemporalClassificationQuestion))  # labels() draws none
        assert row["uuid"] == annotation.extra["uuid"]
        assert row["dataRow"] == ({"id": owner.data.uid} if owner.data.uid else {"globalKey": owner.data.global_key})
        assert ("name" in row) == (annotation.name is not None)
        assert ("schemaId" in row) == (annotation.feature_schema_id is not None)
        if isinstance(annotation, lt.ObjectAnnotation):
            assert _in_order(keys, OBJECT_ORDER) and keys[-1] in ("bbox", "polygon", "point", "line", "mask", "location")
            assert isinstance(row["classifications"], list)
            if "polygon" in row:
                assert row["polygon"][0] == row["polygon"][-1] and len(row["polygon"]) >= 3
            if "bbox" in row:
                assert row["bbox"]["height"] >= 0 and row["bbox"]["width"] >= 0
        else:
            assert _in_order(keys, CLASSIFICATION_ORDER) and keys[-2:] == ["uuid", "dataRow"]
        assert json.loads(json.dumps(row)) == row


@pytest.mark.parametrize("build, message", [
    (lambda: lt.GenericDataRowData(), "exactly one of uid or global_key"),
    (lambda: lt.GenericDataRowData(uid="a", global_key="b"), "exactly one of uid or global_key"),
    (lambda: lt.ObjectAnnotation(value=P(x=1, y=1)), "a name or a feature_schema_id"),
    (lambda: lt.ObjectAnnotation(name="p", value=P(x=1, y=1), confidence=1.2), "confidence"),
    (lambda: lt.Polygon(points=[P(x=0, y=0), P(x=1, y=1)]), "at least 3 points"),
    (lambda: lt.Line(points=[P(x=0, y=0)]), "at least 2 points"),
    (lambda: lt.TextEntity(start=5, end=2), "0 <= start <= end"),
    (lambda: lt.Point(x=float("nan"), y=0), "finite"),
    (lambda: lt.Checklist(answer=[]), "at least one answer"),
    (lambda: lt.Mask(mask=lt.MaskData(url="u"), color=(1, 2)), "three ints"),
    (lambda: lt.Label(data={"uuid": "x"}), "uid or global_key"),
])
def test_bad_values_are_refused_where_they_are_written(build: Any, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        build()


def test_rows_are_checked_before_an_upload() -> None:
    fine = {"uuid": "u", "dataRow": {"id": "d"}, "name": "dot", "point": {"x": 1, "y": 1}}
    check_rows([fine])
    with pytest.raises(ValueError, match="'dataRow' is missing"):
        check_rows([{"uuid": "u", "name": "dot"}])
    with pytest.raises(ValueError, match="exactly one of 'id' or 'globalKey'"):
        check_rows([{**fine, "dataRow": {"id": "d", "globalKey": "g"}}])
    with pytest.raises(ValueError, match="5001 annotations of 'dot'"):
        check_rows([fine] * 5001)
