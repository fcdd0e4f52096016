"""`labelbox.schema.dataset`, for scripts that import from the SDK's path."""

from ..dataset import Dataset

__all__ = ["Dataset"]
