"""ExportTask: an export's task, with its RESULT and ERRORS streams.

The streams exist once the task is COMPLETE; each has a metadata header (size
and line count) that never changes after that, so it is fetched once per task.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import frozen

from . import documents as docs
from .exceptions import LabelboxError, ResourceNotFoundError
from .export_stream import BufferedStream, StreamType
from .not_ported import members
from .task import Task

if TYPE_CHECKING:
    from .client import Client
    from .user import Organization, User


class ExportTaskException(LabelboxError):
    """The export cannot answer this: it is not finished, it failed, or the property needs export_v2."""


@frozen
class MetadataHeader:
    total_size: int
    total_lines: int


_V2_ONLY = ("{} is only available on tasks from ModelRun.export_v2; for tasks from export, "
            "use get_buffered_stream(StreamType.RESULT) or get_buffered_stream(StreamType.ERRORS)")


class ExportTask:
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)
    ExportTaskException = ExportTaskException  # where the Labelbox SDK has it

    def __init__(self, task: Task, is_export_v2: bool = False) -> None:
        self._task = task
        self._is_export_v2 = is_export_v2
        self._headers: dict[StreamType, MetadataHeader | None] = {}

    @classmethod
    def get_task(cls, client: Client, task_id: str) -> ExportTask:
        return cls(Task.fetch(client, task_id))

    def __repr__(self) -> str:
        return f"<ExportTask ID: {self.uid}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExportTask) and other._task == self._task

    def __hash__(self) -> int:
        return hash(self._task)

    # -- the task ---------------------------------------------------------------------
    @property
    def uid(self) -> str:
        return self._task.uid

    @property
    def name(self) -> str | None:
        return self._task.name

    @property
    def status(self) -> str:
        return self._task.status

    @property
    def type(self) -> str:
        return self._task.type

    @property
    def deleted(self) -> bool:
        return self._task.deleted

    @property
    def metadata(self) -> Any:
        return self._task.metadata

    @property
    def created_at(self) -> datetime | None:
        return self._task.created_at

    @property
    def updated_at(self) -> datetime | None:
        return self._task.updated_at

    @property
    def completion_percentage(self) -> float | None:
        return self._task.completion_percentage

    def wait_till_done(self, timeout_seconds: float = 7200) -> None:
        """Polls until the export finishes; raises TaskFailedError if it failed, TimeoutError if it outlives the wait."""
        self._task.wait_till_done(timeout_seconds)

    # -- the streams --------------------------------------------------------------------
    @property
    def created_by(self) -> Callable[[], User]:
        """The task's `created_by` relationship: call it for the User, as in the SDK."""
        return self._task.created_by

    @property
    def organization(self) -> Callable[[], Organization]:
        return self._task.organization

    def wait_until_done(self, timeout_seconds: float = 7200) -> None:
        """Deprecated name of wait_till_done (deprecated in the SDK too)."""
        warnings.warn("The method wait_until_done for ExportTask is deprecated; use wait_till_done",
                      DeprecationWarning, stacklevel=2)
        self.wait_till_done(timeout_seconds)

    def has_result(self) -> bool:
        header = self._header(StreamType.RESULT)
        return header is not None and header.total_size > 0

    def has_errors(self) -> bool:
        header = self._header(StreamType.ERRORS)
        return header is not None and header.total_size > 0

    def get_total_file_size(self, stream_type: StreamType) -> int | None:
        header = self._header(stream_type)
        return None if header is None else header.total_size

    def get_total_lines(self, stream_type: StreamType) -> int | None:
        header = self._header(stream_type)
        return None if header is None else header.total_lines

    def get_buffered_stream(self, stream_type: StreamType = StreamType.RESULT) -> BufferedStream:
        """The stream's lines, fetched chunk by chunk as they are read."""
        stream_type = StreamType(stream_type)
        header = self._header(stream_type)
        if header is None:
            raise ValueError(f"Task {self.uid} does not have a {stream_type.value} stream")
        if header.total_size <= 0:
            raise ValueError(f"Task {self.uid} has an empty {stream_type.value} stream")
        return BufferedStream(self._task.client, self.uid, stream_type, header.total_size)

    # -- whole-export properties (export_v2 tasks) -----------------------------------------
    @property
    def result(self) -> Any:
        """export_v2: every result row, read from the stream on each access; export: the task's result field."""
        if not self._is_export_v2:
            return self._task.result_url
        if self._header(StreamType.RESULT) is None:
            return []
        return [output.json for output in self.get_buffered_stream(StreamType.RESULT)]

    @property
    def errors(self) -> list[Any] | None:
        """export_v2: every error row, or None when there are none."""
        self._require_v2("errors")
        if not self.has_errors():
            return None
        return [output.json for output in self.get_buffered_stream(StreamType.ERRORS)]

    @property
    def result_url(self) -> str:
        self._require_v2("result_url")
        return f"{self._task.client.rest_endpoint}/export-results/{self.uid}/{self._task.client.get_organization().uid}"

    @property
    def errors_url(self) -> str | None:
        self._require_v2("errors_url")
        if not self.has_errors():
            return None
        return f"{self._task.client.rest_endpoint}/export-errors/{self.uid}/{self._task.client.get_organization().uid}"

    def _require_v2(self, what: str) -> None:
        if not self._is_export_v2:
            raise ExportTaskException(_V2_ONLY.format(what))

    def _header(self, stream_type: StreamType) -> MetadataHeader | None:
        stream_type = StreamType(stream_type)
        if self.status == "FAILED":
            raise ExportTaskException(f"export task {self.uid} ({self.name}) failed: {self._task.errors_url}")
        if self.status != "COMPLETE":
            raise ExportTaskException(
                f"export task {self.uid} ({self.name}) is not ready yet: it is {self.status}; call wait_till_done() first"
            )
        if stream_type not in self._headers:
            self._headers[stream_type] = self._fetch_header(stream_type)
        return self._headers[stream_type]

    def _fetch_header(self, stream_type: StreamType) -> MetadataHeader | None:
        variables = {"where": {"id": self.uid}, "streamType": stream_type.value}
        data = self._task.client.execute(docs.GET_EXPORT_METADATA_HEADER, variables,
                                         raise_return_resource_not_found=True)
        task = (data or {}).get("task")
        if task is None:
            raise ResourceNotFoundError(Task, {"id": self.uid})
        raw = task.get("exportMetadataHeader")
        return None if raw is None else MetadataHeader(int(raw["totalSize"]), int(raw["totalLines"]))
