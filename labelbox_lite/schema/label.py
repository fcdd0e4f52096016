"""`labelbox.schema.label`, for scripts that import from the SDK's path."""

from ..label import Label

__all__ = ["Label"]
