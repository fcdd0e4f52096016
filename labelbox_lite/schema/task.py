"""`labelbox.schema.task`, for scripts that import from the SDK's path."""

from ..data_row_upload import DataUpsertTask
from ..task import Task, TaskStatus

__all__ = ["DataUpsertTask", "Task", "TaskStatus"]
