"""An NDJSON import's text read one row at a time, without a copy of each line where it can be avoided."""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Callable
from typing import Any

# json.loads' own C scanner on the text at an offset: (value, end), StopIteration where no value starts.
# JSONDecoder.raw_decode wraps it in a Python method; called directly, a row costs one call less.
_scan: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


class Unparsable:
    """A line that is not JSON: it fails on its own, saying where and why."""

    __slots__ = ("error", "number")

    def __init__(self, number: int, error: str) -> None:
        self.number = number
        self.error = error


def feed_rows(text: str, take: Callable[[Any], bool], rest: Callable[[Any], object]) -> None:
    """Each non-blank line's value, in order, to `take`, and to `rest` when `take` answers False; an
    `Unparsable` (to `rest`) for a line that is not JSON.

    A loop that calls its consumers rather than a generator: it runs once per row of every import,
    and each resumption of a generator, and each row taken out of one, is a cost of its own.
    Lines split at "\\n" only (not splitlines: U+2028 may sit inside a string).
    """
    scan = _scan
    start = number = 0
    size = len(text)
    find = text.find
    while start < size:
        number += 1
        # decoded straight on the text (no copy of the line), taken when the value is the whole line
        try:
            row, end = scan(text, start)
        except (StopIteration, ValueError):
            end = -1
        if end >= 0 and (end == size or text[end] == "\n") and find("\n", start, end) < 0:
            start = end + 1
            if not take(row):
                rest(row)
            continue
        # anything else line by line: blank, whitespace around the value, or the error to report
        end = find("\n", start)
        if end < 0:
            end = size
        line = text[start:end]
        start = end + 1
        if line and not line.isspace():
            row = _parse(line, number)
            if not take(row):
                rest(row)


def _parse(line: str, number: int) -> Any:
    try:
        return json.loads(line)
    except ValueError as error:
        return Unparsable(number, str(error))
