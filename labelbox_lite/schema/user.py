"""`labelbox.schema.user`, for scripts that import from the SDK's path."""

from ..user import User

__all__ = ["User"]
