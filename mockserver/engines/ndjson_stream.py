"""NDJSON rendered once, a batch of lines at a time, and kept as bytes until released.

A stream is given how many rows it has and a function answering the i-th as a
JSON document. `render(limit)` encodes the next lines with orjson when it is
installed (the `fast` extra), else with one reused C encoder of the stdlib
(json.dumps builds a new one per call), appends them to pieces of about
`PIECE_BYTES`, and records where each line ends (8 bytes a line), so once every
line is rendered the size, the line count and any byte range are known without
rendering again. Lines are ASCII: every byte is a whole character, so a range
can be cut anywhere. orjson writes UTF-8, so a line it writes with any other
byte (or a value it refuses, such as an integer past 64 bits) is written by the
stdlib encoder instead, with ASCII escapes; the two differ only in whitespace.

`release()` drops the bytes and the line index (an export that expired or was
pushed out), keeping only its line and byte counts: a released stream holds a few
words however long it was, so finished exports cost nothing once released (a task
keeps its export until the task itself is forgotten). A range of a released stream
is no longer served. Pieces live in anonymous memory maps
of their own, so a released stream's memory goes back to the system at once:
freed 1 MiB heap blocks would raise glibc's mmap threshold and stay in the heap,
keeping a process at the size of its two largest exports rather than one.
"""

from __future__ import annotations

import importlib
import json
import json.encoder
import mmap
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

from attrs import frozen

# Rendered text is joined into pieces of about this size: few objects, and a range is a few slices.
PIECE_BYTES = 1024 * 1024
# Lines encoded in one comprehension, their offsets then summed in C: no Python step per line but the
# encoding itself.
_BATCH_LINES = 256
# Private memory (shared anonymous memory is a tmpfs file, each page fault dearer), its pages made in one
# call (MAP_POPULATE, Linux) rather than faulted in one at a time as the piece is written: 0.6 µs a row.
_PIECE_FLAGS = mmap.MAP_PRIVATE | getattr(mmap, "MAP_POPULATE", 0)


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_encoder() -> Callable[[Any], str]:
    """A document as json.dumps(document) writes it (ASCII escapes, default separators), encoder built once."""
    make = getattr(json.encoder, "c_make_encoder", None)  # not in typeshed: the C accelerator's constructor
    if make is None:  # a Python without the C accelerator
        return json.dumps
    # no circular-reference markers: documents are built fresh from state, never cyclic
    encode = make(None, _refuse, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)
    return lambda document: "".join(encode(document, 0))


encode_document: Callable[[Any], str] = _make_encoder()


def _make_stdlib_line() -> Callable[[Any], bytes]:
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return lambda document: (json.dumps(document) + "\n").encode("ascii")
    encode = make(None, _refuse, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)

    def line(document: Any) -> bytes:
        chunks = encode(document, 0)  # a list of str: the newline joins them, no copy of its own
        chunks.append("\n")
        return "".join(chunks).encode("ascii")

    return line


_stdlib_line = _make_stdlib_line()


def _make_line_encoder(use_orjson: bool) -> Callable[[Any], bytes]:
    """A document as one ASCII line of JSON with its newline: orjson's when it can, else the stdlib's."""
    try:
        orjson = importlib.import_module("orjson") if use_orjson else None
    except ImportError:
        orjson = None
    if orjson is None:
        return _stdlib_line
    dumps, refused = orjson.dumps, orjson.JSONEncodeError
    option = (orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
              | orjson.OPT_APPEND_NEWLINE)

    def line(document: Any) -> bytes:
        try:
            text: bytes = dumps(document, default=_refuse, option=option)
        except refused:
            return _stdlib_line(document)
        return text if text.isascii() else _stdlib_line(document)

    return line


encode_line: Callable[[Any], bytes] = _make_line_encoder(True)


def use_orjson(enabled: bool) -> None:
    """Switches orjson off (or back on, if installed) for lines rendered from now on: for comparisons."""
    global encode_line
    encode_line = _make_line_encoder(enabled)


class StreamReleased(Exception):
    """A range was asked of a stream whose bytes were released."""


class NdjsonStream:
    def __init__(self, count: int, row: Callable[[int], Any]) -> None:
        self._count = count
        self._row: Callable[[int], Any] | None = row
        self._ends = array("Q")  # _ends[i]: offset just past line i
        self._pieces: list[mmap.mmap] = []
        self._piece_starts = array("Q")  # offset of each piece's first byte
        self._released = False
        self._released_counts = (0, 0)  # lines and bytes rendered when released (the index is dropped)

    def __repr__(self) -> str:
        state = "released" if self._released else f"{self.lines}/{self._count} lines"
        return f"<NdjsonStream {state} size={self.size}>"

    @property
    def complete(self) -> bool:
        return self.lines == self._count

    @property
    def released(self) -> bool:
        return self._released

    @property
    def size(self) -> int:
        """Bytes rendered so far (the whole stream's once complete)."""
        if self._released:
            return self._released_counts[1]
        return self._ends[-1] if self._ends else 0

    @property
    def lines(self) -> int:
        """Lines rendered so far (the whole stream's once complete)."""
        return self._released_counts[0] if self._released else len(self._ends)

    @property
    def nbytes(self) -> int:
        """What the stream holds: its text and its line index."""
        return 0 if self._released else self.size + self._ends.itemsize * len(self._ends)

    def render(self, limit: int | None = None) -> int:
        """Renders up to `limit` more lines (all that are left when None); answers how many it rendered."""
        first = len(self._ends)
        stop = self._count if limit is None else min(self._count, first + limit)
        row = self._row
        if row is None or first >= stop:
            return 0
        encode, ends = encode_line, self._ends
        piece_start = self.size
        parts: list[bytes] = []  # the lines of the piece being filled, the first of them line `parts_line`
        parts_line = first
        for begin in range(first, stop, _BATCH_LINES):
            lines = [encode(row(index)) for index in range(begin, min(stop, begin + _BATCH_LINES))]
            offsets = accumulate(map(len, lines), initial=self.size)
            next(offsets)
            ends.extend(offsets)
            parts += lines
            while ends[-1] - piece_start >= PIECE_BYTES:  # cut where a line first takes the piece past its size
                last = bisect_left(ends, piece_start + PIECE_BYTES, parts_line)
                taken = last + 1 - parts_line
                self._add_piece(piece_start, parts[:taken])
                del parts[:taken]
                piece_start, parts_line = ends[last], last + 1
        if parts:
            self._add_piece(piece_start, parts)
        if len(ends) == self._count:
            self._row = None  # the snapshot the rows came from is no longer needed
        return stop - first

    def _add_piece(self, start: int, parts: list[bytes]) -> None:
        if self._released:  # released by a request while a worker rendered: keep nothing
            return
        data = b"".join(parts)
        piece = mmap.mmap(-1, len(data), flags=_PIECE_FLAGS)
        piece.write(data)
        self._pieces.append(piece)
        self._piece_starts.append(start)

    def release(self) -> list[mmap.mmap]:
        """Drops the rendered bytes, the line index and whatever rows were not rendered yet; the counts stay
        readable. Answers the pieces it held, for the caller to drop where unmapping them costs no request
        its time (tens of ms for 64 MiB)."""
        if self._released:
            return []
        self._released_counts = (self.lines, self.size)
        self._released = True
        self._ends = array("Q")  # a worker rendering meanwhile appends to the old one, dropped with it
        pieces, self._pieces = self._pieces, []
        self._piece_starts = array("Q")
        self._row = None
        return pieces

    def line_at(self, offset: int) -> int:
        """The index of the line that holds byte `offset`."""
        if not 0 <= offset < self.size:
            raise IndexError(f"offset {offset} is outside the stream's {self.size} bytes")
        return bisect_right(self._ends, offset)

    def line_start(self, line: int) -> int:
        return self._ends[line - 1] if line else 0

    def line_end(self, line: int) -> int:
        """The offset of the last byte of `line` (its newline)."""
        return self._ends[line] - 1

    def iter_range(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start`..`end` (inclusive) of what is rendered, as slices of the stored pieces."""
        if self._released:
            raise StreamReleased("the stream was released")
        end = min(end, self.size - 1)
        if start > end:
            return
        pieces, starts = self._pieces, self._piece_starts  # release() replaces them; a download under way finishes
        index = bisect_right(starts, start) - 1
        position = start
        while position <= end:
            piece, piece_start = pieces[index], starts[index]
            upto = min(end + 1, piece_start + len(piece))
            yield piece[position - piece_start : upto - piece_start]
            position = upto
            index += 1


@frozen
class NdjsonRange:
    """A byte range of a stream as a file the mock serves (a ContentSource)."""

    stream: NdjsonStream
    start: int
    end: int  # inclusive

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    @property
    def released(self) -> bool:
        """True once the stream's bytes are gone; the file host then treats the URL as expired."""
        return self.stream.released

    def chunks(self) -> Iterator[bytes]:
        return self.stream.iter_range(self.start, self.end)
