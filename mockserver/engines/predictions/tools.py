"""A tool row: its one geometry (or the media-placed form of it) and the answers nested under it."""

from __future__ import annotations

from typing import Any

from . import placement
from .answers import check_nested
from .features import ANSWER_KEYS, GEOMETRY_KEYS, Feature
from .geometry import GEOMETRY_CHECKS


def check_tool(feature: Feature, row: dict[str, Any], problems: list[str]) -> list[dict[str, Any]] | None:
    """Checks the geometry and the nested answers; returns the nested answers normalised, if any."""
    expected = feature.geometry_key
    if expected is None:
        problems.append(f"name: feature {feature.name!r} is a {feature.kind} tool, whose annotations the mock's "
                        f"imports do not take")
        return None
    others = [] if feature.forbidden.isdisjoint(row) else [
        key for key in GEOMETRY_KEYS + ANSWER_KEYS if key in feature.forbidden and key in row]
    if others:
        problems.append(f"{others[0]}: feature {feature.name!r} is a {feature.kind} tool, which takes {expected}")
    value = row.get(expected)
    placed = placement.placed_geometry(feature.kind, row) if value is None else None
    if placed is not None:
        placement.check_placed_geometry(placed, feature.kind, row[placed], problems)
    elif value is None:
        if not others:
            problems.append(f"{expected}: feature {feature.name!r} is a {feature.kind} tool and needs {expected}")
    else:
        message = GEOMETRY_CHECKS[expected](value)
        if message is not None:
            problems.append(f"{expected}{message}")
    nested = row.get("classifications")
    if not nested:
        return None
    return check_nested(feature.nested, f"tool {feature.name!r}", nested, "classifications", problems)
