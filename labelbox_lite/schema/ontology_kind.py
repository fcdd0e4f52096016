"""`labelbox.schema.ontology_kind`, for scripts that import from the SDK's path."""

from ..ontology import EditorTaskType, OntologyKind, UploadType

__all__ = ["EditorTaskType", "OntologyKind", "UploadType"]
