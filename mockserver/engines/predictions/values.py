"""Checks of plain values every part of a prediction row uses: numbers, confidences, custom metrics."""

from __future__ import annotations

import math
from typing import Any, TypeGuard


def short(value: Any, limit: int = 80) -> str:
    """A value as a message quotes it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def number(value: Any) -> TypeGuard[int | float]:
    """A finite int or float (bool is neither here: JSON's true is not a number)."""
    kind = type(value)
    return kind is int or (kind is float and math.isfinite(value))


def check_confidence(value: Any, path: str, problems: list[str]) -> None:
    if not number(value) or not 0 <= value <= 1:
        problems.append(f"{path}: must be a number within [0, 1], got {short(value)}")


def check_custom_metrics(value: Any, path: str, problems: list[str]) -> None:
    """customMetrics on an annotation or an answer: [{name, value}]."""
    if type(value) is not list:
        problems.append(f"{path}: must be a list of {{name, value}}, got {short(value)}")
        return
    for index, metric in enumerate(value):
        if type(metric) is not dict or not isinstance(metric.get("name"), str) or not number(metric.get("value")):
            problems.append(f"{path}[{index}]: a custom metric is {{name: string, value: number}}, got {short(metric)}")
            return
