"""`labelbox.schema.media_type`, for scripts that import from the SDK's path."""

from ..media_type import MediaType

__all__ = ["MediaType"]
