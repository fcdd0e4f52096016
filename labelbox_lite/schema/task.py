"""`labelbox.schema.task`, for scripts that import from the SDK's path."""

from ..task import Task, TaskStatus

__all__ = ["Task", "TaskStatus"]
