"""Resolvers by domain, merged into one table: type name -> field name -> resolver."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import (
    batches,
    core,
    datasets,
    exports,
    foundry,
    label_imports,
    metadata,
    model_run_rows,
    models,
    ontologies,
    prediction_imports,
    projects,
    resource_tags,
    send_to_annotate,
    slices,
    tasks,
)

_DOMAINS = (core, models, model_run_rows, tasks, prediction_imports, batches, send_to_annotate, exports,
            ontologies, projects, slices, datasets, label_imports, metadata, resource_tags, foundry)


def _merge() -> dict[str, dict[str, Callable[..., Any]]]:
    table: dict[str, dict[str, Callable[..., Any]]] = {}
    for domain in _DOMAINS:
        for type_name, fields in domain.RESOLVERS.items():
            bucket = table.setdefault(type_name, {})
            clash = set(bucket) & set(fields)
            if clash:
                raise LookupError(f"{domain.__name__} redefines resolvers {sorted(clash)} of {type_name}")
            bucket.update(fields)
    return table


RESOLVERS = _merge()
