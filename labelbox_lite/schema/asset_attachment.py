"""`labelbox.schema.asset_attachment`, for scripts that import from the SDK's path."""

from ..data_row import AssetAttachment

__all__ = ["AssetAttachment"]
