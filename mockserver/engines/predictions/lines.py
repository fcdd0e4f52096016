"""An NDJSON import's text read one row at a time, without a copy of each line where it can be avoided."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

_decode = json.JSONDecoder().raw_decode  # json.loads without its per-call setup, straight on the text


class Unparsable:
    """A line that is not JSON: it fails on its own, saying where and why."""

    __slots__ = ("error", "number")

    def __init__(self, number: int, error: str) -> None:
        self.number = number
        self.error = error


def read_rows(text: str) -> Iterator[Any]:
    """One value per non-blank line, in order; an `Unparsable` for a line that is not JSON.

    Lines split at "\\n" only (not splitlines: U+2028 may sit inside a string).
    """
    start = number = 0
    size = len(text)
    find = text.find
    while start < size:
        number += 1
        # decoded straight on the text (no copy of the line), taken when the value is the whole line
        try:
            row, end = _decode(text, start)
        except ValueError:
            end = -1
        if end >= 0 and (end == size or text[end] == "\n") and find("\n", start, end) < 0:
            start = end + 1
            yield row
            continue
        # anything else line by line: blank, whitespace around the value, or the error to report
        end = find("\n", start)
        if end < 0:
            end = size
        line = text[start:end]
        start = end + 1
        if line and not line.isspace():
            yield _parse(line, number)


def _parse(line: str, number: int) -> Any:
    try:
        return json.loads(line)
    except ValueError as error:
        return Unparsable(number, str(error))
