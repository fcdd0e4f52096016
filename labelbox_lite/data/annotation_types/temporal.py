"""Temporal classifications of audio and video, with the SDK's names (`labelbox.types.Temporal...`): answers
that carry their own frame ranges (milliseconds), nested to any depth. `labelbox_lite.ndjson` writes them as
the SDK's temporal serializer does: one row per classification name, without a uuid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeAlias

from attrs import define, field


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} is an integer (milliseconds), got {value!r}")
    return value


def _span(value: Any, what: str) -> tuple[int, int]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{what} is a (start_frame, end_frame) pair, got {value!r}")
    start, end = _whole(value[0], f"{what}'s start"), _whole(value[1], f"{what}'s end")
    if start > end:
        raise ValueError(f"{what} starts after it ends: {value!r}")
    return start, end


def _frames(value: Iterable[Any]) -> list[tuple[int, int]]:
    return [_span(item, f"frames[{index}]") for index, item in enumerate(value)]


def _texts(value: Iterable[Any]) -> list[tuple[int, int, str]]:
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, (tuple, list)) or len(item) != 3 or not isinstance(item[2], str):
            raise TypeError(f"value[{index}] is a (start_frame, end_frame, text) triple, got {item!r}")
        out.append((*_span(item[:2], f"value[{index}]"), item[2]))
    return out


def _nested(value: Iterable[Any] | None) -> list[TemporalClassification] | None:
    if value is None:
        return None
    out = list(value)
    wrong = [type(item).__name__ for item in out
             if not isinstance(item, (TemporalClassificationText, TemporalClassificationQuestion))]
    if wrong:
        raise TypeError("nested classifications are TemporalClassificationText or TemporalClassificationQuestion, "
                        f"got {wrong[:3]}")
    return out


def _name(_instance: object, _attribute: Any, value: Any) -> None:
    if not isinstance(value, str):
        raise TypeError(f"name is a str, got {value!r}")


@define
class TemporalClassificationAnswer:
    """One option of a radio or checklist question, at the (start, end) ranges it holds."""

    name: str = field(validator=_name)
    frames: list[tuple[int, int]] = field(factory=list, converter=_frames)
    classifications: list[TemporalClassification] | None = field(default=None, converter=_nested)


@define
class TemporalClassificationText:
    """A text classification: (start, end, text) values; nested classifications go under the text values
    whose ranges they overlap."""

    label_annotation: ClassVar[bool] = True  # a Label takes it beside object and classification annotations

    name: str = field(validator=_name)
    value: list[tuple[int, int, str]] = field(factory=list, converter=_texts)
    classifications: list[TemporalClassification] | None = field(default=None, converter=_nested)


def _answers(value: Iterable[Any]) -> list[TemporalClassificationAnswer]:
    out = list(value)
    wrong = [type(item).__name__ for item in out if not isinstance(item, TemporalClassificationAnswer)]
    if wrong:
        raise TypeError(f"a question's value is a list of TemporalClassificationAnswer, got {wrong[:3]}")
    return out


@define
class TemporalClassificationQuestion:
    """A radio (one answer at a time) or checklist question: its answers, each with its own ranges."""

    label_annotation: ClassVar[bool] = True

    name: str = field(validator=_name)
    value: list[TemporalClassificationAnswer] = field(factory=list, converter=_answers)
    classifications: list[TemporalClassification] | None = field(default=None, converter=_nested)


TemporalClassification: TypeAlias = "TemporalClassificationText | TemporalClassificationQuestion"

__all__ = ["TemporalClassificationAnswer", "TemporalClassificationQuestion", "TemporalClassificationText"]
