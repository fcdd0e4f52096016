"""Reading a JSON request body strictly: UTF-8, standard JSON, and bounded nesting.

Python's json accepts NaN and Infinity, which are not JSON and could not be
answered back as JSON, and reads `1e400` as infinity; an integer of more digits
than Python converts raises a bare ValueError; and values nested deeper than the interpreter's stack
crash the parser (RecursionError) or, less deep, every recursive walk after it
(the journal, GraphQL coercion, state dumps). Both are refused here, with a
message saying which.

Parsing builds a Python object per value (some 60 bytes each), so a few MiB of
`{},` would cost a hundred MiB for the moment it is parsed. A body holding more
than MAX_JSON_VALUES values is refused before it is parsed: the count costs a few
`str.count` scans, and only a body whose commas and brackets already pass the cap
(strings included) is counted again with its strings stepped over.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# deep enough for any real training config or metadata; shallow enough for every recursive walk
MAX_JSON_DEPTH = 64


# ten times the data rows of the largest batch Labelbox accepts (100,000); a body at the cap peaks at
# some 60 MiB while parsed
MAX_JSON_VALUES = 1_000_000


class JsonBodyError(ValueError):
    """The body is not acceptable JSON; the message says why."""

    status = 400


class JsonTooLarge(JsonBodyError):
    """The body holds more values than a request may (answered 413, as a body over the size limit)."""

    status = 413


# Stepping over strings, once escapes are gone: every quote then opens or closes one, and a string
# left open runs to the end of its piece. Pieces bound what a substitution holds at once.
_QUOTED = re.compile(r'"[^"]*+(?:"|\Z)')
_NO_WHITESPACE = str.maketrans("", "", " \t\r\n")
_PIECE = 256 * 1024


def count_values(text: str, enough: int) -> int:
    """How many JSON values `text` holds (the top one, array items, member values), counted without
    parsing: one for the top value, one per comma, one per non-empty container. When a bound that
    counts strings' commas and brackets too is already at most `enough` (the usual case), that bound."""
    bound = 1 + text.count(",") + text.count("[") + text.count("{")  # never fewer than the values
    if bound <= enough:
        return bound
    text = text.replace("\\\\", "").replace('\\"', "")  # escapes: outside strings they are not JSON anyway
    values, inside = 1, False
    for start in range(0, len(text), _PIECE):
        piece = text[start:start + _PIECE]
        structure = _QUOTED.sub("0", '"' + piece if inside else piece).translate(_NO_WHITESPACE)
        # (an empty container split across two pieces counts as one value too many: on the safe side)
        values += (structure.count(",") + structure.count("[") + structure.count("{")
                   - structure.count("[]") - structure.count("{}"))
        inside ^= piece.count('"') % 2 == 1
    return values


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


# built once: json.loads with these hooks builds a decoder (and its C scanner) on every call
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float, parse_int=_bounded_int)


def load_json(data: bytes | str, what: str = "request body", max_values: int = MAX_JSON_VALUES) -> Any:
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise JsonBodyError(f"{what} is not valid UTF-8: {exc}") from None
    if count_values(text, max_values) > max_values:
        raise JsonTooLarge(f"{what} holds more than {max_values} JSON values, the limit per request")
    try:
        if text.startswith("\ufeff"):  # as json.loads words it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise JsonBodyError(f"{what} is not valid JSON: {exc}") from None
    except RecursionError:
        raise JsonBodyError(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except JsonBodyError as exc:
        raise JsonBodyError(f"{what} is not valid JSON: {exc}") from None
    # each level opens a bracket, so a body with few of them needs no walk (the common small request)
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
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
