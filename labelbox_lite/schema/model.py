"""`labelbox.schema.model`, for scripts that import from the SDK's path."""

from ..model import Model

__all__ = ["Model"]
