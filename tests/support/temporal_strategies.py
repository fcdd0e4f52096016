"""Temporal classifications as plain specs, built with either `labelbox.types` or `labelbox_lite.types`, so the
same classifications can be serialized by both (tests/contract) or by labelbox_lite alone (tests/client).

A spec is ("text", name, [(start, end, text)], nested) or ("question", name, [(option, [(start, end)],
nested)], nested), nested being a list of specs or None. A name is a text's or a question's for good (the
SDK reads a group of one name by its first member's kind), and ranges are small so they overlap often.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from hypothesis import strategies as st

TEXT_NAMES, QUESTION_NAMES, OPTIONS, TEXTS = ("note", "said"), ("quality", "tags"), ("a", "b", "c"), ("hi", "bye")


@st.composite
def _span(draw: Any) -> tuple[int, int]:
    start = draw(st.integers(0, 20))
    return start, start + draw(st.integers(0, 8))


def _text(nested: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    values = st.lists(st.tuples(_span(), st.sampled_from(TEXTS)).map(lambda v: (*v[0], v[1])), max_size=3)
    return st.tuples(st.just("text"), st.sampled_from(TEXT_NAMES), values, nested)


def _question(nested: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    answer = st.tuples(st.sampled_from(OPTIONS), st.lists(_span(), max_size=3), nested)
    return st.tuples(st.just("question"), st.sampled_from(QUESTION_NAMES), st.lists(answer, max_size=3), nested)


def _specs(depth: int) -> st.SearchStrategy[Any]:
    nested = st.none() if depth == 0 else st.one_of(st.none(), st.lists(_specs(depth - 1), max_size=2))
    return st.one_of(_text(nested), _question(nested))


temporal_specs = st.lists(_specs(2), max_size=4)


def build(types: ModuleType, spec: Any) -> Any:
    kind, name, values, nested = spec
    inner = None if nested is None else [build(types, n) for n in nested]
    if kind == "text":
        return types.TemporalClassificationText(name=name, value=list(values), classifications=inner)
    answers = [types.TemporalClassificationAnswer(
        name=option, frames=list(frames), classifications=None if deeper is None else [build(types, n) for n in deeper])
        for option, frames, deeper in values]
    return types.TemporalClassificationQuestion(name=name, value=answers, classifications=inner)
