"""Hypothesis strategies for users' own tests (needs hypothesis, the `test` extra).

Seeds the mock accepts (`seeds`, `ontologies` with nested classifications, `datasets`; `as_normalized`
turns a seed ontology into the JSON `create_ontology` sends) and NDJSON predictions
for a seeded run, valid and broken (`PredictionTarget`, `predictions`,
`invalid_predictions`, `mixed_predictions`). docs/strategies.md has example tests.
"""

from .predictions import PredictionTarget, invalid_predictions, mixed_predictions, predictions
from .seeds import as_normalized, datasets, ontologies, seeds

__all__ = ["PredictionTarget", "as_normalized", "datasets", "invalid_predictions", "mixed_predictions", "ontologies",
           "predictions", "seeds"]
