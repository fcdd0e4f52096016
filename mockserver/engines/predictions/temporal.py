"""A temporal classification: answers that carry their own frame ranges, as the SDK 7.17 writes them.

The SDK's temporal serializer (`TemporalClassificationText` / `TemporalClassificationQuestion`, and a
video's text classification, `NDVideoText`) writes one row per question, without a uuid:

    {"name": q, "answer": [{"name": option | "value": text, "frames": [{start, end}],
                            "classifications": [{"name": q2, "answer": [...]}]}], "dataRow": ...}

Each option (or text value) appears once, holding all its ranges; a radio may change option over
time, a checklist may hold several at once. What the SDK never writes is refused (the strictest
reading, docs/porting.md): an option or value listed twice, overlapping ranges within one answer,
two options of one radio at the same frame, a nested answer outside the frames of the answer it is
nested in (the SDK drops those), and frames beside the answers. A text classification nests nothing
in an ontology, so a text value's nested answers name no classification. Frames start at the row's
media's first frame (`placement.first_frame`).
"""

from __future__ import annotations

from typing import Any

from .answers import check_question, nested_questions, resolve_option
from .features import Feature, FeatureIndex
from .placement import check_frame_ranges
from .values import short

Spans = list[tuple[int, int]]


def check_temporal(feature: Feature, row: dict[str, Any], first: int, problems: list[str]) -> list[Any] | None:
    """Checks a temporal row's answers; returns them normalised (names and schemaIds filled in) when valid."""
    check_question(feature, row, problems)
    if "frames" in row:
        problems.append("frames: a temporal classification's frame ranges are in each answer (answer[].frames)")
    if "answers" in row:
        problems.append("answers: a temporal classification's answers are given under answer")
    for key in ("confidence", "customMetrics"):
        if key in row:  # the SDK's temporal rows carry neither, and Labelbox reads no score for a range
            problems.append(f"{key}: a temporal classification takes no {key}")
    return _answers(feature, row.get("answer"), "answer", first, None, problems)


def _answers(feature: Feature, answers: Any, path: str, first: int, within: Spans | None,
             problems: list[str]) -> list[dict[str, Any]] | None:
    what = "{value, frames}" if feature.kind == "text" else "{name or schemaId, frames}"
    if type(answers) is not list or not answers:
        problems.append(f"{path}: a temporal {feature.kind} classification's answer is a non-empty list of "
                        f"{what}, got {short(answers)}")
        return None
    out: list[dict[str, Any]] = []
    held: dict[str, tuple[int, Spans]] = {}  # option schema id or text value -> (its index, its ranges)
    failed = False
    for index, item in enumerate(answers):
        item_path = f"{path}[{index}]"
        if type(item) is not dict:
            problems.append(f"{item_path}: a temporal answer is {what}, got {short(item)}")
            failed = True
            continue
        key, label = _answer_key(feature, item, item_path, problems)
        spans = check_frame_ranges(item.get("frames"), f"{item_path}.frames", first, problems, disjoint=True)
        if key is None or spans is None:
            failed = True
            continue
        if key in held:
            problems.append(f"{item_path}: {label} is answered by {path}[{held[key][0]}] already; "
                            "one answer holds all of its frame ranges")
            failed = True
            continue
        outside = _outside(spans, within) if within is not None else None
        if outside is not None and within is not None:
            problems.append(f"{item_path}.frames[{outside}]: {spans[outside][0]}-{spans[outside][1]} is outside "
                            f"the frames of the answer it is nested in ({_show(within)})")
            failed = True
            continue
        held[key] = (index, spans)
        normalised = dict(item)
        if feature.kind != "text":
            normalised["name"], normalised["schemaId"] = feature.option_values[key], key
        if item.get("classifications"):
            index_of = None if feature.kind == "text" else feature.option_nested.get(key)
            nested = _nested(index_of, f"{feature.kind} answer {label}", item["classifications"],
                             f"{item_path}.classifications", first, spans, problems)
            if nested is None:
                failed = True
                continue
            normalised["classifications"] = nested
        out.append(normalised)
    if feature.kind == "radio" and not failed:
        _one_option_at_a_time(feature, held, path, problems)
    return None if failed else out


def _answer_key(feature: Feature, item: dict[str, Any], path: str, problems: list[str]) -> tuple[str | None, str]:
    """What identifies the answer within its question: a text value, or an option's schema id."""
    if feature.kind == "text":
        value = item.get("value")
        if not isinstance(value, str):
            problems.append(f"{path}.value: a temporal text answer is {{value, frames}} with a string value, "
                            f"got {short(value)}")
            return None, ""
        return value, f"text {value!r}"
    found = resolve_option(feature, item, path, problems)
    return found, "" if found is None else f"option {feature.option_values[found]!r}"


def _nested(index: FeatureIndex | None, owner: str, nested: Any, path: str, first: int, within: Spans,
            problems: list[str]) -> list[dict[str, Any]] | None:
    """Questions nested in a temporal answer: [{name or schemaId, answer: [temporal answers]}], within its frames."""
    before = len(problems)
    found = nested_questions(index, owner, nested, path, problems)
    if found is None or len(problems) > before:
        return None
    out: list[dict[str, Any]] = []
    for item_path, item, feature in found:
        answers = _answers(feature, item.get("answer"), f"{item_path}.answer", first, within, problems)
        if answers is None:
            return None
        out.append({**item, "name": feature.name, "schemaId": feature.schema_id, "answer": answers})
    return out


def _outside(spans: Spans, within: Spans) -> int | None:
    """The index of the first range that no range of `within` contains."""
    for index, (start, end) in enumerate(spans):
        if not any(low <= start and end <= high for low, high in within):
            return index
    return None


def _one_option_at_a_time(feature: Feature, held: dict[str, tuple[int, Spans]], path: str,
                          problems: list[str]) -> None:
    spans = sorted((span, index) for index, ranges in held.values() for span in ranges)
    (reach, reaching) = spans[0]  # the range that ends last so far, and whose it is
    for span, index in spans[1:]:
        if span[0] <= reach[1] and index != reaching:  # one option's own ranges are disjoint already
            problems.append(f"{path}[{max(index, reaching)}].frames: radio {feature.name!r} holds one option at a "
                            f"time, but {path}[{min(index, reaching)}] and {path}[{max(index, reaching)}] share "
                            f"frames {span[0]}-{min(reach[1], span[1])}")
            return
        if span[1] > reach[1]:
            reach, reaching = span, index


def _show(spans: Spans) -> str:
    return ", ".join(f"{start}-{end}" for start, end in spans)
