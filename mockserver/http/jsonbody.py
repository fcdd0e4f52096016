"""Reading a JSON request body strictly: UTF-8, standard JSON, and bounded nesting.

Python's json accepts NaN and Infinity, which are not JSON and could not be
answered back as JSON, and reads `1e400` as infinity; an integer of more digits
than Python converts raises a bare ValueError; and values nested deeper than the interpreter's stack
crash the parser (RecursionError) or, less deep, every recursive walk after it
(the journal, GraphQL coercion, state dumps). Both are refused here, with a
message saying which.
"""

from __future__ import annotations

import json
import math
from typing import Any

# deep enough for any real training config or metadata; shallow enough for every recursive walk
MAX_JSON_DEPTH = 64


class JsonBodyError(ValueError):
    """The body is not acceptable JSON; the message says why."""


def _refuse_constant(name: str) -> Any:
    raise JsonBodyError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonBodyError(f"the number {text[:40]} is out of range (not a finite double)")
    return value


def _bounded_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # past sys.get_int_max_str_digits()
        raise JsonBodyError(f"an integer of {len(text)} digits is too long") from None


def load_json(data: bytes | str, what: str = "request body") -> Any:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise JsonBodyError(f"{what} is not valid UTF-8: {exc}") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise JsonBodyError(f"{what} is not valid JSON: {exc}") from None
    except RecursionError:
        raise JsonBodyError(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except JsonBodyError as exc:
        raise JsonBodyError(f"{what} is not valid JSON: {exc}") from None
    if _depth_exceeds(value, MAX_JSON_DEPTH):
        raise JsonBodyError(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than `limit`; iterative, so it cannot overflow itself."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: Any = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
