"""`labelbox.schema.slice`, for scripts that import from the SDK's path."""

from ..slice import ModelSlice

__all__ = ["ModelSlice"]
