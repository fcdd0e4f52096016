"""`labelbox.schema.organization`, for scripts that import from the SDK's path."""

from ..user import Organization

__all__ = ["Organization"]
