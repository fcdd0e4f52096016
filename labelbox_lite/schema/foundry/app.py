"""`labelbox.schema.foundry.app`, for scripts that import from the SDK's path."""

from ...foundry import App

__all__ = ["App"]
