"""What a benchmark produces: figures (repeated samples with their spread) and target outcomes."""

from __future__ import annotations

import statistics
from typing import Any

from attrs import define, field

FLOOR = "floor"
SUBJECT = "labelbox_lite"
REFERENCE = "reference"


def quartiles(samples: list[float]) -> tuple[float, float, float]:
    """Q1, median and Q3 (inclusive method, so two or three samples still give a spread)."""
    if not samples:
        raise ValueError("no samples")
    if len(samples) == 1:
        return samples[0], samples[0], samples[0]
    q1, q2, q3 = statistics.quantiles(samples, n=4, method="inclusive")
    return q1, q2, q3


@define
class Figure:
    """One measured quantity of one subject, repeated.

    `key` is stable across runs (targets and the JSON refer to it); `role` says
    whether this is our code, the floor it is compared with, or the reference SDK.
    A figure that could not be measured carries `skipped` with the reason.
    """

    key: str
    section: str
    subject: str
    metric: str
    unit: str
    role: str = SUBJECT
    samples: list[float] = field(factory=list)
    better: str = "lower"  # or "higher"
    note: str = ""
    skipped: str | None = None

    @property
    def measured(self) -> bool:
        return self.skipped is None and bool(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def summary(self) -> dict[str, Any]:
        if not self.measured:
            return {"n": 0}
        q1, median, q3 = quartiles(self.samples)
        return {"n": len(self.samples), "median": median, "q1": q1, "q3": q3,
                "min": min(self.samples), "max": max(self.samples)}

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "section": self.section, "subject": self.subject, "role": self.role,
                "metric": self.metric, "unit": self.unit, "better": self.better, "note": self.note,
                "skipped": self.skipped, "samples": self.samples, **self.summary()}


def skipped_figure(key: str, section: str, subject: str, metric: str, unit: str, reason: str,
                   role: str = SUBJECT) -> Figure:
    return Figure(key=key, section=section, subject=subject, metric=metric, unit=unit, role=role, skipped=reason)


@define
class Check:
    """A yes/no fact a benchmark establishes along the way (e.g. what an import pulls in)."""

    name: str
    ok: bool
    detail: str
    error: bool = False  # a benchmark that could not run, rather than a fact it found


@define
class Outcome:
    """A target evaluated against this run's figures."""

    name: str
    measured: str
    limit: str
    status: str  # "pass", "MISS" or "n/a"
    note: str = ""
    spread: str = "—"  # the interval the figures' quartiles allow (benchmarks/targets.py)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "measured": self.measured, "spread": self.spread, "limit": self.limit,
                "status": self.status, "note": self.note}


@define
class SectionResult:
    """Everything one benchmark module measured."""

    figures: list[Figure] = field(factory=list)
    checks: list[Check] = field(factory=list)

    def extend(self, other: SectionResult) -> None:
        self.figures.extend(other.figures)
        self.checks.extend(other.checks)
