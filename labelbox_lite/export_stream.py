"""Reading an export stream: chunk after chunk, line after line, holding one piece at a time.

The server describes a stream as a run of chunks, each a signed file URL with
the byte range it covers. A line may begin in one chunk and end in the next;
only that unfinished line is carried over, so memory stays bounded by a download
piece plus the longest line, however long the export. Nothing goes to disk.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

from attrs import frozen

from . import documents as docs
from .exceptions import LabelboxError, ResourceNotFoundError

if TYPE_CHECKING:
    from .client import Client

logger = logging.getLogger(__name__)


class StreamType(Enum):
    RESULT = "RESULT"
    ERRORS = "ERRORS"


@frozen
class BufferedJsonConverterOutput:
    """One line of an export stream, parsed."""

    json: Any


def ndjson_lines(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of NDJSON arriving in arbitrary pieces; blank lines are skipped."""
    pending = bytearray()
    for piece in pieces:
        pending += piece
        start = 0
        while (newline := pending.find(b"\n", start)) != -1:
            line = bytes(pending[start:newline])
            if line and not line.isspace():
                yield line
            start = newline + 1
        del pending[:start]
    if pending and not pending.isspace():
        yield bytes(pending)


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
        for number, raw in enumerate(ndjson_lines(self._pieces())):
            try:
                parsed = json.loads(raw)
            except ValueError as error:
                raise LabelboxError(
                    f"line {number} of the {self._stream_type.value} stream of export task {self._task_id} "
                    f"is not JSON: {error}"
                ) from None
            yield BufferedJsonConverterOutput(json=parsed)

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
