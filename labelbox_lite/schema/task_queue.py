"""`labelbox.schema.task_queue`, for scripts that import from the SDK's path."""

from ..task_queue import TaskQueue

__all__ = ["TaskQueue"]
