"""ScalarMetric and ConfusionMatrixMetric rows: a value, or values by confidence, per data row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .values import number, short

SCALAR_AGGREGATIONS = ("ARITHMETIC_MEAN", "GEOMETRIC_MEAN", "HARMONIC_MEAN", "SUM")
CONFUSION_MATRIX = "CONFUSION_MATRIX"
SCALAR_MAX = 100_000_000
# names Labelbox computes itself; a ScalarMetric may not take them
RESERVED_METRIC_NAMES = ("true_positive_count", "false_positive_count", "true_negative_count",
                         "false_negative_count", "precision", "recall", "f1", "iou")


def check_metric_value(row: dict[str, Any], problems: list[str]) -> None:
    aggregation = row.get("aggregation", "ARITHMETIC_MEAN")
    name = row.get("metricName")
    if name is not None and not isinstance(name, str):
        problems.append(f"metricName: must be a string, got {short(name)}")
        name = None
    value = row.get("metricValue")
    if aggregation == CONFUSION_MATRIX:
        if name is None:
            problems.append("metricName: a confusion matrix metric needs a name")
        check: Callable[[Any], str | None] = _confusion_message
    elif aggregation in SCALAR_AGGREGATIONS:
        if name is not None and name.strip().lower() in RESERVED_METRIC_NAMES:
            problems.append(f"metricName: {name!r} is a reserved metric name")
        check = _scalar_message
    else:
        problems.append(f"aggregation: must be one of {', '.join((*SCALAR_AGGREGATIONS, CONFUSION_MATRIX))}, "
                        f"got {short(aggregation)}")
        return
    if type(value) is dict:
        if not value:
            problems.append("metricValue: a value by confidence needs at least one confidence")
        for confidence, each in value.items():
            try:
                level = float(confidence)
            except (TypeError, ValueError):
                level = -1.0
            if not 0 <= level <= 1:
                problems.append(f"metricValue: confidence keys are numbers within [0, 1], got {short(confidence)}")
                return
            message = check(each)
            if message is not None:
                problems.append(f"metricValue[{confidence}]{message}")
                return
    else:
        message = check(value)
        if message is not None:
            problems.append(f"metricValue{message}")


def _scalar_message(value: Any) -> str | None:
    if not number(value) or not 0 <= value <= SCALAR_MAX:
        return f": a scalar metric is a number within [0, {SCALAR_MAX}], got {short(value)}"
    return None


def _confusion_message(value: Any) -> str | None:
    if (type(value) is not list or len(value) != 4
            or not all(type(count) is int and count >= 0 for count in value)):
        return f": a confusion matrix is four non-negative counts (tp, fp, tn, fn), got {short(value)}"
    return None
