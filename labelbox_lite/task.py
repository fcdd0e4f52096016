"""Tasks: the server's asynchronous operations, polled until they finish."""

from __future__ import annotations

import json
import logging
import warnings
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from .entity import Entity
from .exceptions import ResourceNotFoundError, TaskFailedError
from .export_stream import read_ndjson
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client
    from .user import Organization, User

logger = logging.getLogger(__name__)


class TaskStatus(str, Enum):
    In_Progress = "IN_PROGRESS"
    Complete = "COMPLETE"
    Canceling = "CANCELLING"
    Canceled = "CANCELED"
    Failed = "FAILED"
    Unknown = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> TaskStatus:
        return cls.Unknown


@define(eq=False)
class Task(Entity):
    client: Client = field(repr=False)
    uid: str
    name: str | None
    status: str
    type: str
    completion_percentage: float | None
    created_at: datetime | None
    updated_at: datetime | None
    result_url: str | None = None
    errors_url: str | None = None
    metadata: Any = None
    deleted: bool = field(default=False, kw_only=True)  # Labelbox lists no deleted task

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Task:
        task = cls(client=client, uid=data["id"], name=None, status="", type="", completion_percentage=None,
                   created_at=None, updated_at=None)
        task._update(data)
        return task

    def _update(self, data: dict[str, Any]) -> None:
        self.name = data.get("name")
        self.status = data["status"]
        self.type = data.get("type") or ""
        self.completion_percentage = data.get("completionPercentage")
        self.created_at = parse_datetime(data.get("createdAt"))
        self.updated_at = parse_datetime(data.get("updatedAt"))
        self.result_url = data.get("result")
        self.errors_url = data.get("errors")
        self.metadata = data.get("metadata")

    @classmethod
    def fetch(cls, client: Client, task_id: str) -> Task:
        return cls.from_api(client, _read_task(client, task_id))

    @staticmethod
    def get_task(client: Client, task_id: str) -> Task:
        """The task `task_id` of the current user, read from the server (the SDK's spelling)."""
        return Task.fetch(client, task_id)

    def created_by(self) -> User:
        """Who created the task: tasks are read through the current user's created tasks, so that user."""
        return self.client.get_user()

    def organization(self) -> Organization:
        return self.client.get_organization()

    @property
    def status_as_enum(self) -> TaskStatus:
        return TaskStatus(self.status)

    def refresh(self) -> None:
        """Reads the task's current state from the server."""
        self._update(_read_task(self.client, self.uid))

    def wait_till_done(self, timeout_seconds: float = 300.0, check_frequency: float = 2.0) -> None:
        """Polls until the task leaves IN_PROGRESS.

        Raises TaskFailedError with the server's message if it FAILED, and
        TimeoutError naming the task if it is still running after `timeout_seconds`.
        """
        if check_frequency < 2.0:
            raise ValueError("Expected check frequency to be two seconds or more")

        def check() -> bool | None:
            if self.status == "IN_PROGRESS":
                self.refresh()
            return None if self.status == "IN_PROGRESS" else True

        if self.status == "IN_PROGRESS":
            self.client.poller.wait(check, timeout=timeout_seconds, interval=check_frequency,
                                    what=f"task {self.uid} ({self.name})")
        if self.status == "FAILED":
            raise TaskFailedError(f"task {self.uid} ({self.name}) failed: {self.errors}", self.uid)

    def wait_until_done(self, timeout_seconds: float = 300.0, check_frequency: float = 2.0) -> None:
        """Deprecated name of wait_till_done (deprecated in the SDK too)."""
        warnings.warn("The method wait_until_done for Task is deprecated; use wait_till_done", DeprecationWarning,
                      stacklevel=2)
        self.wait_till_done(timeout_seconds, check_frequency)

    def is_creation_task(self) -> bool:
        """A data row creation task, whose result document lists created and failed rows."""
        return self.name == "JSON Import" or self.type == "adv-upsert-data-rows"

    @property
    def created_data_rows(self) -> list[Any] | None:
        """The rows a creation task created, or None when it created none."""
        return self._creation_result().get("createdDataRows") or None

    @property
    def failed_data_rows(self) -> list[Any] | None:
        """The rows a creation task could not create, with why, or None when none failed."""
        return self._creation_result().get("errors") or None

    def _creation_result(self) -> dict[str, Any]:
        if not self.is_creation_task():
            raise ValueError(f"task {self.uid} is a {self.type or 'typeless'} task: created and failed data rows "
                             "exist for data row creation tasks only (JSON Import, adv-upsert-data-rows)")
        if self.status == "IN_PROGRESS":
            self.wait_till_done(timeout_seconds=600)
        document = _text_or_document(self.client, self.result_url)
        return document if isinstance(document, dict) else {}

    def has_errors(self) -> bool:
        return self.status == "FAILED" or bool(self.errors_url)

    @property
    def errors(self) -> Any:
        """The task's errors: the server's message, or the document its errors URL points at."""
        return _text_or_document(self.client, self.errors_url)

    @property
    def result(self) -> Any:
        if self.status == "FAILED":
            raise ValueError(f"Job failed. Errors : {self.errors}")
        return _text_or_document(self.client, self.result_url)


def _read_task(client: Client, task_id: str) -> dict[str, Any]:
    data = client.execute(docs.GET_TASK, {"userId": client._current_user_id(), "taskId": task_id})
    tasks = ((data or {}).get("user") or {}).get("createdTasks") or []
    if len(tasks) != 1:
        raise ResourceNotFoundError(Task, {"task_id": task_id}, message=f"The task {task_id} does not exist.")
    return tasks[0]  # type: ignore[no-any-return]


def _text_or_document(client: Client, value: str | None) -> Any:
    """Task `result` and `errors` hold a message, JSON text, or a URL of a JSON/NDJSON document."""
    if value is None:
        return None
    if value.startswith(("http://", "https://")):
        body = client.download(value)
        try:
            return json.loads(body)
        except json.JSONDecodeError:
            return read_ndjson([body])
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
