"""Hypothesis strategies for labelbox_lite's Label objects over the standard test ontology (tests/support/world.py).

NDJSON prediction rows for users live in mockserver.strategies; these draw the
annotation types that serialise to such rows, to compare with the reference SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from labelbox_lite import types as lt
from mockserver.strategies import PredictionTarget

TOOLS = {"box": "bbox", "area": "polygon", "dot": "point", "edge": "line", "mask": "mask", "entity": "location"}
CLASSIFICATIONS = {"quality": "radio", "tags": "checklist", "note": "text"}
OPTIONS = {"quality": ["good", "bad"], "tags": ["a", "b", "c"]}

numbers = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
confidences = st.floats(min_value=0, max_value=1)
uuids = st.uuids().map(str)

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


def _lt_answer(feature: str, target: PredictionTarget | None) -> st.SearchStrategy[lt.ClassificationAnswer]:
    def build(value: str, by_id: bool, confidence: float | None) -> lt.ClassificationAnswer:
        if by_id and target is not None:
            return lt.ClassificationAnswer(feature_schema_id=target.option_ids[feature][value], confidence=confidence)
        return lt.ClassificationAnswer(name=value, confidence=confidence)

    return st.builds(build, st.sampled_from(OPTIONS[feature]), st.booleans(), st.none() | confidences)


def _named(feature: str, target: PredictionTarget | None) -> st.SearchStrategy[dict[str, str]]:
    choices = [{"name": feature}]
    if target is not None:
        choices += [{"feature_schema_id": target.feature_ids[feature]},
                    {"name": feature, "feature_schema_id": target.feature_ids[feature]}]
    return st.sampled_from(choices)


@st.composite
def annotation(draw: Callable[..., Any], target: PredictionTarget | None = None,
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
def labels(draw: Callable[..., Any], target: PredictionTarget | None = None, row_refs: list[dict[str, str]] | None = None,
           max_labels: int = 3) -> list[lt.Label]:
    refs = row_refs or [{"uid": "ckdatarow0000000000000001"}, {"global_key": "gk-1"}]
    out = []
    for _ in range(draw(st.integers(1, max_labels))):
        data = draw(st.sampled_from(refs))
        out.append(lt.Label(data=data, annotations=draw(st.lists(annotation(target), min_size=1, max_size=4))))
    return out
