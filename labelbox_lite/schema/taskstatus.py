"""`labelbox.schema.taskstatus`, for scripts that import from the SDK's path."""

from ..task import TaskStatus

__all__ = ["TaskStatus"]
