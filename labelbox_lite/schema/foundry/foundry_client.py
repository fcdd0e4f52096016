"""`labelbox.schema.foundry.foundry_client`, for scripts that import from the SDK's path."""

from ...foundry import FoundryClient

__all__ = ["FoundryClient"]
