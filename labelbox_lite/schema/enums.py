"""`labelbox.schema.enums`, for scripts that import from the SDK's path."""

from ..annotation_import import AnnotationImportState

__all__ = ["AnnotationImportState"]
