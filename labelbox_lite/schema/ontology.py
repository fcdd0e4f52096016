"""`labelbox.schema.ontology`, for scripts that import from the SDK's path."""

from ..feature_schema import DeleteFeatureFromOntologyResult, FeatureSchema
from ..ontology import Classification, Ontology, OntologyBuilder, Tool

__all__ = ["Classification", "DeleteFeatureFromOntologyResult", "FeatureSchema", "Ontology", "OntologyBuilder",
           "Tool"]
