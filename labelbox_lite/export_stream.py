"""Reading an export stream: chunk after chunk, line after line, holding one piece at a time.

The server describes a stream as a run of chunks, each a signed file URL with
the byte range it covers. A line may begin in one chunk and end in the next;
only that unfinished line is carried over, so memory stays bounded by a download
piece plus the longest line, however long the export. Nothing goes to disk.
"""

from __future__ import annotations

import codecs
import json
import json.scanner
import logging
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

from . import documents as docs
from .exceptions import LabelboxError, ResourceNotFoundError
from .fast_json import has_long_digit_run, orjson_module

if TYPE_CHECKING:
    from .client import Client

logger = logging.getLogger(__name__)


class StreamType(Enum):
    RESULT = "RESULT"
    ERRORS = "ERRORS"


class BufferedJsonConverterOutput:
    """One line of an export stream, parsed. A plain slotted class: a 100k-row export builds 100k of them."""

    __slots__ = ("json",)

    def __init__(self, json: Any) -> None:
        self.json = json

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BufferedJsonConverterOutput) and other.json == self.json

    __hash__ = None  # type: ignore[assignment]  # mutable content, as the SDK's model

    def __repr__(self) -> str:
        return f"BufferedJsonConverterOutput(json={self.json!r})"


def ndjson_lines(pieces: Iterable[bytes]) -> Iterator[str]:
    """The lines of UTF-8 NDJSON arriving in arbitrary pieces (cut anywhere, even inside a character).

    Blank lines are skipped. Only the unfinished line is held between pieces; a
    line longer than a piece is gathered in parts and joined once, not copied
    again with every piece.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    held: list[str] = []  # the unfinished line, in parts
    for piece in pieces:
        text = decoder.decode(piece)
        if "\n" not in text:
            if text:
                held.append(text)
            continue
        if held:
            held.append(text)
            text, held = "".join(held), []
        lines = text.split("\n")
        last = lines.pop()
        if last:
            held.append(last)
        for line in lines:
            if line and not line.isspace():
                yield line
    tail = "".join(held) + decoder.decode(b"", final=True)
    if tail and not tail.isspace():
        yield tail


# The C scanner json.loads runs, called directly: json.loads adds two Python-level
# calls and a regex per line, a third of the cost of parsing a typical export row.
# (typeshed types the scanner's argument as a scanner; it takes the decoder whose settings it uses)
_scan_json: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]


def parse_line(line: str) -> Any:
    """One NDJSON line as json.loads reads it, raising its ValueError for anything but one JSON value."""
    try:
        value, end = _scan_json(line, 0)
    except StopIteration:  # no value at the start: leading whitespace, or not JSON; json.loads says which
        return json.loads(line)
    if end != len(line):  # trailing whitespace passes, anything else raises "Extra data"
        return json.loads(line)
    return value



def ndjson_byte_lines(pieces: Iterable[bytes]) -> Iterator[tuple[list[bytes], bool]]:
    """The lines of NDJSON arriving in pieces, as bytes, a piece's worth at a time, blank ones included.

    Each batch comes with whether orjson reads it as json does: false when the
    bytes hold a run of 19 digits, a possible integer beyond orjson's 64 bits.
    Splitting at b"\n" never cuts a UTF-8 character (no multi-byte one holds that byte).
    """
    held: list[bytes] = []  # the unfinished line, in parts
    for piece in pieces:
        if b"\n" not in piece:
            if piece:
                held.append(piece)
            continue
        lines = piece.split(b"\n")
        safe = not has_long_digit_run(piece)
        if held:
            held.append(lines[0])
            lines[0], held = b"".join(held), []
            safe = safe and not has_long_digit_run(lines[0])
        last = lines.pop()
        if last:
            held.append(last)
        yield lines, safe
    if held:
        tail = b"".join(held)
        yield [tail], not has_long_digit_run(tail)


_BLANK = object()


def read_ndjson(pieces: Iterable[bytes]) -> list[Any]:
    """A whole NDJSON document's values (status files, label exports): the lines of ndjson_lines, parsed."""
    return [parse_line(line) for line in ndjson_lines(pieces)]


class BufferedStream:
    """An export task's stream of parsed lines; iterate it, or `start(handler)` to call back per line."""

    def __init__(self, client: Client, task_id: str, stream_type: StreamType, total_size: int) -> None:
        self._client = client
        self._task_id = task_id
        self._stream_type = stream_type
        self._total_size = total_size

    def __repr__(self) -> str:
        return f"<BufferedStream task={self._task_id} {self._stream_type.value} bytes={self._total_size}>"

    def __iter__(self) -> Iterator[BufferedJsonConverterOutput]:
        orjson = orjson_module()
        if orjson is not None:
            return self._iter_orjson(orjson)
        return self._iter_stdlib()

    def _iter_stdlib(self) -> Iterator[BufferedJsonConverterOutput]:
        number = -1
        try:
            for number, line in enumerate(ndjson_lines(self._pieces())):
                yield BufferedJsonConverterOutput(self._parse(line, number))
        except UnicodeDecodeError as error:  # from the decoding in ndjson_lines
            raise self._not_utf8(number, error) from None

    def _iter_orjson(self, orjson: Any) -> Iterator[BufferedJsonConverterOutput]:
        """The same values as _iter_stdlib: lines orjson may read differently, or refuses, go the stdlib's way."""
        loads, refused = orjson.loads, orjson.JSONDecodeError
        number = -1
        for lines, safe in ndjson_byte_lines(self._pieces()):
            for raw in lines:
                if safe:
                    try:
                        value = loads(raw)
                    except refused:
                        value = self._parse_bytes(raw, number)
                else:
                    value = self._parse_bytes(raw, number)
                if value is not _BLANK:
                    number += 1
                    yield BufferedJsonConverterOutput(value)

    def _parse_bytes(self, raw: bytes, number: int) -> Any:
        """One line as the stdlib path reads it; _BLANK for a line the stdlib path skips."""
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise self._not_utf8(number, error) from None
        if not line or line.isspace():
            return _BLANK
        return self._parse(line, number + 1)

    def _parse(self, line: str, number: int) -> Any:
        try:
            return parse_line(line)
        except ValueError as error:
            raise LabelboxError(
                f"line {number} of the {self._stream_type.value} stream of export task {self._task_id} "
                f"is not JSON: {error}"
            ) from None

    def _not_utf8(self, number: int, error: UnicodeDecodeError) -> LabelboxError:
        return LabelboxError(
            f"the {self._stream_type.value} stream of export task {self._task_id} is not UTF-8 "
            f"after line {number}: {error}"
        )

    def start(self, stream_handler: Callable[[BufferedJsonConverterOutput], Any] | None = None) -> None:
        """Reads the whole stream, handing each line to `stream_handler`."""
        for output in self:
            if stream_handler is not None:
                stream_handler(output)

    def _pieces(self) -> Iterator[bytes]:
        offset = 0
        while offset < self._total_size:
            start, end, url = self._chunk_at(offset)
            if not start <= offset <= end:
                raise LabelboxError(self._where(offset) + f" was answered with bytes {start}-{end}, which miss it")
            skip, received = offset - start, 0
            for piece in self._client.iter_download(url):
                received += len(piece)
                if skip:
                    piece, skip = piece[skip:], max(skip - len(piece), 0)
                if piece:
                    yield piece
            if received != end - start + 1:
                raise LabelboxError(self._where(offset) + f" should hold {end - start + 1} bytes, got {received}")
            logger.debug("export task %s %s: read bytes %d-%d", self._task_id, self._stream_type.value, offset, end)
            offset = end + 1

    def _chunk_at(self, offset: int) -> tuple[int, int, str]:
        variables = {"where": {"id": self._task_id}, "streamType": self._stream_type.value, "offset": str(offset)}
        data = self._client.execute(docs.GET_EXPORT_FILE_FROM_OFFSET, variables, raise_return_resource_not_found=True)
        task = (data or {}).get("task")
        if task is None:
            raise ResourceNotFoundError("Task", {"id": self._task_id})
        chunk = task.get("exportFileFromOffset")
        if chunk is None:
            raise LabelboxError(self._where(offset) + " has no file")
        return int(chunk["offsets"]["start"]), int(chunk["offsets"]["end"]), str(chunk["file"])

    def _where(self, offset: int) -> str:
        return f"the {self._stream_type.value} chunk at offset {offset} of export task {self._task_id}"
