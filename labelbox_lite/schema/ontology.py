"""`labelbox.schema.ontology`, for scripts that import from the SDK's path."""

from ..ontology import Classification, Ontology, OntologyBuilder, Tool

__all__ = ["Classification", "Ontology", "OntologyBuilder", "Tool"]
