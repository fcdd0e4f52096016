"""NDJSON made line by line on demand: its size is known, its bytes are never all held.

A stream renders each line once to measure it, keeping only where the line
ends (one integer per line), then serves any byte range by rendering again just
the lines that cover it. That needs `render` to be deterministic, so it must read
an immutable snapshot; a line that re-renders to a different length is reported
rather than served wrong.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator

from attrs import frozen

# Pieces handed to a transport are grouped to about this size: fewer writes, bounded memory.
PIECE_BYTES = 64 * 1024


class NdjsonStream:
    def __init__(self, count: int, render: Callable[[int], bytes]) -> None:
        self._render = render
        self._ends = array("Q")  # _ends[i]: offset just past line i
        total = 0
        for index in range(count):
            total += len(render(index))
            self._ends.append(total)

    def __repr__(self) -> str:
        return f"<NdjsonStream lines={self.lines} size={self.size}>"

    @property
    def size(self) -> int:
        return self._ends[-1] if self._ends else 0

    @property
    def lines(self) -> int:
        return len(self._ends)

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

    def line(self, index: int) -> bytes:
        data = self._render(index)
        measured = self._ends[index] - self.line_start(index)
        if len(data) != measured:
            raise RuntimeError(
                f"line {index} renders to {len(data)} bytes but measured {measured}: its snapshot changed"
            )
        return data

    def iter_range(self, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start`..`end` (inclusive), rendering only the lines they cover."""
        if start > end:
            return
        line = self.line_at(start)
        position = self.line_start(line)
        while position <= end:
            data = self.line(line)
            yield data[max(start - position, 0) : end + 1 - position]
            position += len(data)
            line += 1


@frozen
class NdjsonRange:
    """A byte range of a stream as a file the mock serves (a ContentSource)."""

    stream: NdjsonStream
    start: int
    end: int  # inclusive

    @property
    def size(self) -> int:
        return self.end - self.start + 1

    def chunks(self) -> Iterator[bytes]:
        group: list[bytes] = []
        grouped = 0
        for piece in self.stream.iter_range(self.start, self.end):
            group.append(piece)
            grouped += len(piece)
            if grouped >= PIECE_BYTES:
                yield b"".join(group)
                group, grouped = [], 0
        if group:
            yield b"".join(group)
