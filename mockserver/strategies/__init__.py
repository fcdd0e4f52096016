"""Hypothesis strategies for users' own tests (needs hypothesis, the `test` extra).

Seeds the mock accepts (`seeds`, `ontologies`, `datasets`) and NDJSON predictions
for a seeded run, valid and broken (`PredictionTarget`, `predictions`,
`invalid_predictions`, `mixed_predictions`). docs/strategies.md has example tests.
"""

from .predictions import PredictionTarget, invalid_predictions, mixed_predictions, predictions
from .seeds import datasets, ontologies, seeds

__all__ = ["PredictionTarget", "datasets", "invalid_predictions", "mixed_predictions", "ontologies", "predictions",
           "seeds"]
