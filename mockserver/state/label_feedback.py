"""Feedback on a label: a free-text comment and named numeric scores, upserted by name.

Bounded per label: at most MAX_SCORES scores with names of at most MAX_NAME_BYTES, and a comment
of at most MAX_FEEDBACK_BYTES, so feedback never outgrows the labels it is about.
"""

from __future__ import annotations

import math
from typing import Any

from ..clock import MockClock
from .errors import InvalidInput
from .organization import Organization
from .records import Label

MAX_SCORES = 100
MAX_NAME_BYTES = 256
MAX_FEEDBACK_BYTES = 64 * 1024


def _scores(scores: Any) -> dict[str, float]:
    if not isinstance(scores, dict):
        raise InvalidInput(f"scores must be a JSON object of score name -> number, got {type(scores).__name__}")
    problems = []
    for name, value in scores.items():
        if not name.strip() or len(name.encode()) > MAX_NAME_BYTES:
            problems.append(f"score name {name[:40]!r} must be non-empty and at most {MAX_NAME_BYTES} bytes")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems.append(f"score {name!r} must be a finite number, got {value!r}")
    if problems:
        raise InvalidInput("scores: " + "; ".join(problems))
    return {name: float(value) for name, value in scores.items()}


def upsert_feedback(org: Organization, clock: MockClock, label_id: str, feedback: Any, scores: Any) -> Label:
    """The comment replaces the label's; each score replaces the one of its name, or joins them."""
    label = org.label(label_id)
    if not isinstance(feedback, str) or len(feedback.encode()) > MAX_FEEDBACK_BYTES:
        raise InvalidInput(f"feedback must be text of at most {MAX_FEEDBACK_BYTES} bytes")
    merged = {**label.scores, **_scores(scores)}
    if len(merged) > MAX_SCORES:
        raise InvalidInput(f"a label keeps at most {MAX_SCORES} scores; this would make {len(merged)}")
    label.feedback, label.scores = feedback, merged
    label.updated_at = clock.now()
    return label
