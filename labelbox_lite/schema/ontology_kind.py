"""`labelbox.schema.ontology_kind`, for scripts that import from the SDK's path."""

from ..ontology import OntologyKind

__all__ = ["OntologyKind"]
