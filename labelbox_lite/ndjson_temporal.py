"""Temporal classifications as NDJSON rows, as the SDK's temporal serializer writes them (labelbox 7.17,
`data/serialization/ndjson/temporal.py`), key order included:

    {"name": q, "answer": [{"name": option | "value": text, "frames": [{"start", "end"}],
                            "classifications": [{"name": q2, "answer": [...]}]}], "dataRow": ...}

One row per classification name (annotations of one name merge); each option or text value appears once
with all its ranges, duplicates dropped. A nested classification goes under each answer whose ranges it
overlaps, and keeps only the ranges inside that answer's; one that overlaps no answer is dropped, with a
warning, as the SDK drops it. Where the SDK fails (a label given by data row id: it writes only the global
key), the row names its data row as every other row does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from .data.annotation_types.temporal import (
    TemporalClassification,
    TemporalClassificationQuestion,
    TemporalClassificationText,
)

logger = logging.getLogger(__name__)

Spans = list[tuple[int, int]]


def temporal_rows(annotations: Iterable[TemporalClassification], data_row: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**row, "dataRow": dict(data_row)} for row in _classifications(annotations, None)]


def _classifications(annotations: Iterable[TemporalClassification], within: Spans | None) -> list[dict[str, Any]]:
    groups: dict[str, list[TemporalClassification]] = {}
    for annotation in annotations:
        groups.setdefault(annotation.name, []).append(annotation)
    rows = []
    for name, group in groups.items():
        if len({type(annotation) for annotation in group}) > 1:
            raise TypeError(f"temporal classification {name!r} is given both as a text and as a question")
        answers = _texts(group, within) if isinstance(group[0], TemporalClassificationText) else _options(group, within)
        if answers:
            rows.append({"name": name, "answer": answers})
    return rows


def _texts(group: list[TemporalClassification], within: Spans | None) -> list[dict[str, Any]]:
    frames: dict[str, list[tuple[int, int]]] = {}
    nested: list[TemporalClassification] = []
    for annotation in group:
        assert isinstance(annotation, TemporalClassificationText)
        for start, end, text in annotation.value:
            if within is not None and not _inside((start, end), within):
                logger.warning("Text value frames (%s, %s) not subset of parent frames %s. Discarding.",
                               start, end, within)
                continue
            frames.setdefault(text, []).append((start, end))
        nested.extend(annotation.classifications or [])
    return _entries("value", frames, nested)


def _options(group: list[TemporalClassification], within: Spans | None) -> list[dict[str, Any]]:
    frames: dict[str, list[tuple[int, int]]] = {}
    nested: dict[str, list[TemporalClassification]] = {}
    for annotation in group:
        assert isinstance(annotation, TemporalClassificationQuestion)
        for answer in annotation.value:
            kept = [span for span in answer.frames if within is None or _inside(span, within)]
            if kept:
                frames.setdefault(answer.name, []).extend(kept)
                nested.setdefault(answer.name, []).extend(answer.classifications or [])
    entries = []
    for name, spans in frames.items():
        entries.extend(_entries("name", {name: spans}, nested.get(name, [])))
    return entries


def _entries(key: str, frames: dict[str, list[tuple[int, int]]],
             nested: list[TemporalClassification]) -> list[dict[str, Any]]:
    entries = []
    placed: set[int] = set()
    for answer, spans in frames.items():
        unique = list(dict.fromkeys(spans))
        entry: dict[str, Any] = {key: answer, "frames": [{"start": start, "end": end} for start, end in unique]}
        overlapping = [c for c in nested if _overlaps(c, unique)]
        placed.update(id(c) for c in overlapping)
        inner = _classifications(overlapping, unique) if overlapping else []
        if inner:
            entry["classifications"] = inner
        entries.append(entry)
    for orphan in (c for c in nested if id(c) not in placed):
        logger.warning("Orphaned nested classification %r: no parent answer has frames it overlaps.", orphan.name)
    return entries


def _spans(classification: TemporalClassification) -> Spans:
    if isinstance(classification, TemporalClassificationText):
        return [(start, end) for start, end, _ in classification.value]
    return [span for answer in classification.value for span in answer.frames]


def _overlaps(classification: TemporalClassification, spans: Spans) -> bool:
    return any(max(s1, s2) <= min(e1, e2) for s1, e1 in _spans(classification) for s2, e2 in spans)


def _inside(span: tuple[int, int], within: Spans) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in within)
