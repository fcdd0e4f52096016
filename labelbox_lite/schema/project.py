"""`labelbox.schema.project`, for scripts that import from the SDK's path."""

from ..project import Project

__all__ = ["Project"]
