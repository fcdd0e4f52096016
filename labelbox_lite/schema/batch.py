"""`labelbox.schema.batch`, for scripts that import from the SDK's path."""

from ..batch import Batch

__all__ = ["Batch"]
