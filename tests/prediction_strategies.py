"""Hypothesis strategies: valid NDJSON predictions for the standard ontology, and ways to break them.

`valid_prediction(target)` draws a row Labelbox accepts; `broken_prediction(target)`
draws a row with one thing wrong and the field its status must blame.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from attrs import frozen
from hypothesis import strategies as st

from labelbox_lite import types as lt
from labelbox_lite.ndjson import _binary_png

TOOLS = {"box": "bbox", "area": "polygon", "dot": "point", "edge": "line", "mask": "mask", "entity": "location"}
CLASSIFICATIONS = {"quality": "radio", "tags": "checklist", "note": "text"}
OPTIONS = {"quality": ["good", "bad"], "tags": ["a", "b", "c"]}
PNG = base64.b64encode(_binary_png([[0, 1], [1, 0]], (1, 1, 1))).decode()


@frozen
class Target:
    """What predictions may name: the run's rows, rows outside it, and the ontology's feature ids."""

    row_ids: list[str]  # data rows in the model run
    global_keys: list[str]  # their global keys, same order
    outside_keys: list[str]  # global keys of data rows that exist but are not in the run
    features: dict[str, str]  # feature name -> schema id
    options: dict[str, dict[str, str]]  # classification name -> option value -> schema id


numbers = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
sizes = st.floats(min_value=0, max_value=1e4, allow_nan=False, allow_infinity=False)
confidences = st.floats(min_value=0, max_value=1)
uuids = st.uuids().map(str)


def _point() -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({"x": numbers, "y": numbers})


def _geometry(key: str) -> st.SearchStrategy[Any]:
    if key == "bbox":
        return st.fixed_dictionaries({"top": numbers, "left": numbers, "height": sizes, "width": sizes})
    if key == "polygon":
        return st.lists(_point(), min_size=3, max_size=6)
    if key == "point":
        return _point()
    if key == "line":
        return st.lists(_point(), min_size=2, max_size=6)
    if key == "mask":
        colors = st.lists(st.integers(0, 255), min_size=3, max_size=3)
        return st.one_of(
            st.fixed_dictionaries({"instanceURI": st.just("https://storage.example.com/m.png"), "colorRGB": colors}),
            st.just({"png": PNG}),
        )
    assert key == "location"
    return st.tuples(st.integers(0, 500), st.integers(0, 500)).map(lambda p: {"start": min(p), "end": max(p)})


def _option(target: Target, feature: str, value: str) -> st.SearchStrategy[dict[str, Any]]:
    schema_id = target.options[feature][value]
    refs = st.sampled_from([{"name": value}, {"schemaId": schema_id}, {"name": value, "schemaId": schema_id}])
    return st.tuples(refs, st.none() | confidences).map(
        lambda pair: {**pair[0], **({"confidence": pair[1]} if pair[1] is not None else {})})


def _answer(target: Target, feature: str) -> st.SearchStrategy[dict[str, Any]]:
    kind = CLASSIFICATIONS[feature]
    if kind == "text":
        return st.text(max_size=20).map(lambda text: {"answer": text})
    if kind == "radio":
        return st.sampled_from(OPTIONS[feature]).flatmap(lambda v: _option(target, feature, v)).map(
            lambda option: {"answer": option})
    chosen = st.lists(st.sampled_from(OPTIONS[feature]), min_size=1, max_size=3, unique=True)
    key = st.sampled_from(["answer", "answers"])
    return st.tuples(key, chosen.flatmap(lambda values: st.tuples(*(_option(target, feature, v) for v in values)))).map(
        lambda pair: {pair[0]: list(pair[1])})


@st.composite
def valid_prediction(draw: Callable[..., Any], target: Target) -> dict[str, Any]:
    index = draw(st.integers(0, len(target.row_ids) - 1))
    data_row = draw(st.sampled_from([{"id": target.row_ids[index]}, {"globalKey": target.global_keys[index]}]))
    feature = draw(st.sampled_from(sorted(TOOLS) + sorted(CLASSIFICATIONS)))
    ref = draw(st.sampled_from([{"name": feature}, {"schemaId": target.features[feature]},
                                {"name": feature, "schemaId": target.features[feature]}]))
    row: dict[str, Any] = {"uuid": draw(uuids), "dataRow": data_row, **ref}
    if draw(st.booleans()):
        row["confidence"] = draw(confidences)
    if feature in TOOLS:
        row["classifications"] = []
        row[TOOLS[feature]] = draw(_geometry(TOOLS[feature]))
    else:
        row.update(draw(_answer(target, feature)))
    return row


def _feature_of(row: dict[str, Any], target: Target) -> str:
    if "name" in row:
        return str(row["name"])
    return next(name for name, schema_id in target.features.items() if schema_id == row["schemaId"])


# Each breaker takes (row, target, draw) and answers the field its status must name first.
def _no_uuid(row: dict[str, Any], _t: Target, _d: Any) -> str:
    del row["uuid"]
    return "uuid"


def _bad_uuid(row: dict[str, Any], _t: Target, draw: Any) -> str:
    row["uuid"] = draw(st.sampled_from([7, "", None, ["u"]]))
    return "uuid"


def _no_data_row(row: dict[str, Any], _t: Target, _d: Any) -> str:
    del row["dataRow"]
    return "dataRow"


def _both_refs(row: dict[str, Any], target: Target, _d: Any) -> str:
    row["dataRow"] = {"id": target.row_ids[0], "globalKey": target.global_keys[0]}
    return "dataRow"


def _unknown_key(row: dict[str, Any], _t: Target, draw: Any) -> str:
    row["dataRow"] = {"globalKey": "no-such-" + draw(st.text("abc", min_size=1, max_size=5))}
    return "dataRow.globalKey"


def _unknown_id(row: dict[str, Any], _t: Target, _d: Any) -> str:
    row["dataRow"] = {"id": "cnosuchdatarow00000000000"}
    return "dataRow.id"


def _outside_run(row: dict[str, Any], target: Target, draw: Any) -> str:
    row["dataRow"] = {"globalKey": draw(st.sampled_from(target.outside_keys))}
    return "dataRow"


def _unknown_name(row: dict[str, Any], _t: Target, _d: Any) -> str:
    row.pop("schemaId", None)
    row["name"] = "no-such-feature"
    return "name"


def _unknown_schema_id(row: dict[str, Any], _t: Target, _d: Any) -> str:
    row.pop("name", None)
    row["schemaId"] = "cnosuchfeature00000000000"
    return "schemaId"


def _no_feature(row: dict[str, Any], _t: Target, _d: Any) -> str:
    row.pop("name", None)
    row.pop("schemaId", None)
    return "name"


def _bad_confidence(row: dict[str, Any], _t: Target, draw: Any) -> str:
    row["confidence"] = draw(st.sampled_from([1.5, -0.1, "0.5", True, float("nan")]))
    return "confidence"


def _foreign_geometry(row: dict[str, Any], target: Target, draw: Any) -> str:
    feature = _feature_of(row, target)
    own = TOOLS.get(feature)
    other = draw(st.sampled_from([key for key in TOOLS.values() if key != own]))
    if own is not None:
        del row[own]
    row[other] = {"x": 1, "y": 1}
    return other


_BAD_GEOMETRY: dict[str, list[tuple[Any, str]]] = {
    "bbox": [({"top": 1, "left": 1, "height": 2, "width": -1}, "bbox.width"), ({"top": 1, "left": 1, "height": 2},
                                                                               "bbox.width"),
             ([1, 2, 3, 4], "bbox")],
    "polygon": [([{"x": 1, "y": 1}, {"x": 2, "y": 2}], "polygon"), ([{"x": 1}, {"x": 2, "y": 2}, {"x": 3, "y": 1}],
                                                                    "polygon[0]")],
    "point": [({"x": 1}, "point"), ({"x": "1", "y": 2}, "point")],
    "line": [([{"x": 1, "y": 1}], "line"), ({"x": 1, "y": 1}, "line")],
    "mask": [({"instanceURI": "https://m.png", "colorRGB": [1, 2]}, "mask.colorRGB"), ({"png": "bm90IGEgcG5n"},
                                                                                       "mask.png"), ({}, "mask")],
    "location": [({"start": 5, "end": 2}, "location.end"), ({"start": -1, "end": 2}, "location")],
}


def _bad_value(row: dict[str, Any], target: Target, draw: Any) -> str:
    feature = _feature_of(row, target)
    if feature in TOOLS:
        value, field = draw(st.sampled_from(_BAD_GEOMETRY[TOOLS[feature]]))
        row[TOOLS[feature]] = value
        return field
    row.pop("answers", None)
    kind = CLASSIFICATIONS[feature]
    if kind == "text":
        row["answer"] = draw(st.sampled_from([3, {"name": "x"}, ["x"]]))
        return "answer"
    if kind == "radio":
        row["answer"], field = draw(st.sampled_from([({"name": "meh"}, "answer.name"), ([{"name": "good"}], "answer"),
                                                     ({"schemaId": "cnosuchoption000000000000"}, "answer.schemaId"),
                                                     ({"name": "good", "confidence": 2}, "answer.confidence")]))
        return str(field)
    row["answer"], field = draw(st.sampled_from([([], "answer"), ([{"name": "z"}], "answer[0].name"),
                                                 ([{"name": "a"}, {"name": "a"}], "answer"), ({"name": "a"}, "answer")]))
    return str(field)


BREAKERS = [_no_uuid, _bad_uuid, _no_data_row, _both_refs, _unknown_key, _unknown_id, _outside_run, _unknown_name,
            _unknown_schema_id, _no_feature, _bad_confidence, _foreign_geometry, _bad_value]


@st.composite
def broken_prediction(draw: Callable[..., Any], target: Target) -> tuple[dict[str, Any], str]:
    """A valid row with one thing broken, and the field a FAILURE message must start with."""
    row = draw(valid_prediction(target))
    breaker = draw(st.sampled_from(BREAKERS))
    return row, breaker(row, target, draw)


@st.composite
def mixed_predictions(draw: Callable[..., Any], target: Target, max_size: int = 12) -> list[tuple[dict[str, Any], str | None]]:
    """Valid and broken rows, each with the field its failure must name (None: it must succeed).

    A later row may reuse an earlier uuid, which must fail it on `uuid`.
    """
    rows = draw(st.lists(st.one_of(valid_prediction(target).map(lambda r: (r, None)), broken_prediction(target)),
                         min_size=1, max_size=max_size))
    seen: set[str] = set()
    out: list[tuple[dict[str, Any], str | None]] = []
    for row, expected in rows:
        uuid = row.get("uuid")
        if isinstance(uuid, str) and uuid:
            if uuid in seen:  # drawn twice by chance; keep the property exact
                row["uuid"] = uuid + "-again"
            seen.add(row["uuid"])
        out.append((row, expected))
    if len(out) > 1 and draw(st.booleans()):
        earlier = next((r["uuid"] for r, _ in out[:-1] if isinstance(r.get("uuid"), str) and r["uuid"]), None)
        if earlier is not None:
            last, _ = out[-1]
            last["uuid"] = earlier
            out[-1] = (last, "uuid")
    return out


# -- Label objects -----------------------------------------------------------------------------------

def _lt_point() -> st.SearchStrategy[lt.Point]:
    return st.builds(lt.Point, x=numbers, y=numbers)


def _lt_geometry(kind: str) -> st.SearchStrategy[Any]:
    if kind == "bbox":
        return st.builds(lt.Rectangle, start=_lt_point(), end=_lt_point())
    if kind == "polygon":
        return st.lists(_lt_point(), min_size=3, max_size=5).map(lambda points: lt.Polygon(points=points))
    if kind == "point":
        return _lt_point()
    if kind == "line":
        return st.lists(_lt_point(), min_size=2, max_size=5).map(lambda points: lt.Line(points=points))
    if kind == "mask":
        return st.one_of(
            st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
                lambda color: lt.Mask(mask=lt.MaskData(url="https://storage.example.com/m.png"), color=color)),
            st.lists(st.lists(st.integers(0, 1), min_size=2, max_size=2), min_size=1, max_size=3).map(
                lambda arr: lt.Mask(mask=lt.MaskData.from_2D_arr(arr), color=(1, 1, 1))),
        )
    return st.tuples(st.integers(0, 50), st.integers(0, 50)).map(lambda p: lt.TextEntity(start=min(p), end=max(p)))


def _lt_answer(feature: str, target: Target | None) -> st.SearchStrategy[lt.ClassificationAnswer]:
    def build(value: str, by_id: bool, confidence: float | None) -> lt.ClassificationAnswer:
        if by_id and target is not None:
            return lt.ClassificationAnswer(feature_schema_id=target.options[feature][value], confidence=confidence)
        return lt.ClassificationAnswer(name=value, confidence=confidence)

    return st.builds(build, st.sampled_from(OPTIONS[feature]), st.booleans(), st.none() | confidences)


def _named(feature: str, target: Target | None) -> st.SearchStrategy[dict[str, str]]:
    choices = [{"name": feature}]
    if target is not None:
        choices += [{"feature_schema_id": target.features[feature]},
                    {"name": feature, "feature_schema_id": target.features[feature]}]
    return st.sampled_from(choices)


@st.composite
def annotation(draw: Callable[..., Any], target: Target | None = None,
               names: st.SearchStrategy[str] | None = None) -> lt.ObjectAnnotation | lt.ClassificationAnnotation:
    """An annotation of a standard-ontology feature (or of a name from `names`), with a fixed uuid."""
    feature = draw(st.sampled_from(sorted(TOOLS) + sorted(CLASSIFICATIONS)))
    named = draw(_named(feature, target))
    if names is not None and draw(st.integers(0, 4)) == 0:
        named = {"name": draw(names)}
    extra = {"uuid": draw(uuids)}
    confidence = draw(st.none() | confidences)
    if feature in TOOLS:
        nested = []
        if draw(st.integers(0, 5)) == 0:  # nested classifications serialise, though this ontology has none
            nested = [lt.ClassificationAnnotation(name="sub", value=lt.Text(answer="x"))]
        return lt.ObjectAnnotation(value=draw(_lt_geometry(TOOLS[feature])), confidence=confidence,
                                   classifications=nested, extra=extra, **named)
    kind = CLASSIFICATIONS[feature]
    if kind == "text":
        value: Any = lt.Text(answer=draw(st.text(max_size=10)), confidence=draw(st.none() | confidences))
    elif kind == "radio":
        value = lt.Radio(answer=draw(_lt_answer(feature, target)))
    else:
        answers = draw(st.lists(_lt_answer(feature, target), min_size=1, max_size=3,
                                unique_by=lambda a: a.name or a.feature_schema_id))
        value = lt.Checklist(answer=answers)
    return lt.ClassificationAnnotation(value=value, confidence=confidence, extra=extra, **named)


@st.composite
def labels(draw: Callable[..., Any], target: Target | None = None, row_refs: list[dict[str, str]] | None = None,
           max_labels: int = 3) -> list[lt.Label]:
    refs = row_refs or [{"uid": "ckdatarow0000000000000001"}, {"global_key": "gk-1"}]
    out = []
    for _ in range(draw(st.integers(1, max_labels))):
        data = draw(st.sampled_from(refs))
        out.append(lt.Label(data=data, annotations=draw(st.lists(annotation(target), min_size=1, max_size=4))))
    return out
