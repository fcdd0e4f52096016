"""`labelbox.schema.data_row`, for scripts that import from the SDK's path."""

from ..data_row import DataRow

__all__ = ["DataRow"]
