"""`labelbox.schema.asset_attachment`, for scripts that import from the SDK's path."""

from ..data_row import AssetAttachment, AttachmentType

__all__ = ["AssetAttachment", "AttachmentType"]
