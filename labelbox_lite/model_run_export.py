"""A model run's exports: `export` (streamed), `export_v2` (deprecated) and `export_labels` (export v1).

ModelRun inherits these methods; they live here so the export surface reads in one place.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from . import documents as docs
from .exceptions import TaskFailedError, TimeoutError
from .export_params import ModelRunExportParams, model_run_export_input
from .export_stream import read_ndjson
from .export_task import ExportTask
from .task import Task

if TYPE_CHECKING:
    from .client import Client

# The Labelbox SDK polls export_labels every two seconds.
EXPORT_LABELS_INTERVAL = 2.0
EXPORT_V2_DEPRECATION = ("The method export_v2 for ModelRun is deprecated and will be removed in the next major "
                         "release. Use the export method instead.")


class _RequestTimedOut(Exception):
    """Carries a request's own timeout past the poller, which signals the end of the wait the same way."""

    def __init__(self, error: TimeoutError) -> None:
        super().__init__(str(error))
        self.error = error


class ModelRunExports:
    __slots__ = ()
    client: Client
    uid: str

    def export(self, task_name: str | None = None, params: ModelRunExportParams | None = None) -> ExportTask:
        """Starts an export of the run's data rows; read it with the task's get_buffered_stream().

        >>> task = run.export("my export", params={"predictions": True, "model_run_details": True})
        >>> task.wait_till_done()
        >>> rows = [line.json for line in task.get_buffered_stream()]
        """
        request = model_run_export_input(self.uid, task_name, params, streamable=True, stacklevel=2)
        task, _streamable = self._start_export(request)
        return ExportTask(task)

    def export_v2(self, task_name: str | None = None, params: ModelRunExportParams | None = None) -> Task | ExportTask:
        """Deprecated: `export`, whose task also offers `result` and `errors` as lists.

        Answers a plain Task if the server cannot stream the export.
        """
        warnings.warn(EXPORT_V2_DEPRECATION, DeprecationWarning, stacklevel=2)
        request = model_run_export_input(self.uid, task_name, params, streamable=False, stacklevel=2)
        task, streamable = self._start_export(request)
        return ExportTask(task, is_export_v2=True) if streamable else task

    def _start_export(self, request: dict[str, Any]) -> tuple[Task, bool]:
        data = self.client.execute(docs.EXPORT_MODEL_RUN, {"input": request}, raise_return_resource_not_found=True)
        created = data["exportDataRowsInModelRun"]
        return Task.fetch(self.client, created["taskId"]), bool(created["isStreamable"])

    def export_labels(self, download: bool = False,
                      timeout_seconds: float = 600) -> str | list[dict[str, Any]] | None:
        """The run's labels as export v1 NDJSON (experimental: needs `enable_experimental=True`).

        Answers the file's URL, or with `download=True` its rows; None if the
        server has not produced it within `timeout_seconds`.
        """
        self.client._require_experimental("ModelRun.export_labels")

        def check() -> str | None:
            try:
                data = self.client.execute(docs.EXPORT_MODEL_RUN_ANNOTATIONS, {"modelRunId": self.uid},
                                           experimental=True, raise_return_resource_not_found=True)
            except TimeoutError as error:
                raise _RequestTimedOut(error) from error
            export = data["exportModelRunAnnotations"]
            if export.get("status") == "FAILED":
                raise TaskFailedError(f"the labels export of model run {self.uid} failed")
            return export.get("downloadUrl") or None

        try:
            url = self.client.poller.wait(check, timeout=timeout_seconds, interval=EXPORT_LABELS_INTERVAL,
                                          what=f"labels export of model run {self.uid}")
        except _RequestTimedOut as wrapped:
            raise wrapped.error from None
        except TimeoutError:
            return None
        if not download:
            return url
        return read_ndjson(self.client.iter_download(url))
