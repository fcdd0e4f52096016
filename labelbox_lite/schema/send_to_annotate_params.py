"""`labelbox.schema.send_to_annotate_params`, for scripts that import from the SDK's path."""

from ..send_to_annotate import SendToAnnotateFromCatalogParams, SendToAnnotateFromModelParams

__all__ = ["SendToAnnotateFromCatalogParams", "SendToAnnotateFromModelParams"]
