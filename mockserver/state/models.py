"""Models and model runs: creation, deletion, training config and training status."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .errors import InvalidInput
from .model_run_rows import forget
from .organization import Organization
from .records import Model, ModelRun

TRAINING_STATUSES = ("EXPORTING_DATA", "PREPARING_DATA", "TRAINING_MODEL", "COMPLETE", "FAILED")


def create_model(org: Organization, ids: IdFactory, clock: MockClock, name: str, ontology_id: str) -> Model:
    _require_name(name, "model")
    org.ontology(ontology_id)  # a model is defined by its ontology: it must exist
    model = Model(id=ids.new(), name=name, ontology_id=ontology_id, created_at=clock.now(), created_by_id=org.user.id)
    org.models[model.id] = model
    return model


def delete_models(org: Organization, model_ids: list[str]) -> None:
    """Deletes the models and their runs; every id is checked before anything goes."""
    for model_id in model_ids:
        org.model(model_id)
    for model_id in model_ids:
        for run in list(runs_of(org, model_id)):
            del org.model_runs[run.id]
            forget(org, run.id)
        org.models.pop(model_id, None)


def runs_of(org: Organization, model_id: str) -> list[ModelRun]:
    """The model's runs, oldest first: all runs grouped by model once after the runs change, then read as is."""
    (grouped,) = org.model_runs.view("by model", _by_model)
    return grouped.get(model_id, [])  # type: ignore[no-any-return]


def _by_model(runs: Iterable[ModelRun]) -> list[dict[str, list[ModelRun]]]:
    grouped: dict[str, list[ModelRun]] = {}
    for run in runs:
        grouped.setdefault(run.model_id, []).append(run)
    return [grouped]


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _require_name(name: str, what: str) -> None:
    if not name or not name.strip():
        raise InvalidInput(f"a {what} needs a non-empty name")


def _require_object(config: Any, what: str) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise InvalidInput(f"{what} must be a JSON object, got {type(config).__name__}")
    return config


def create_model_run(
    org: Organization, ids: IdFactory, clock: MockClock, model_id: str, name: str, config: Any = None
) -> ModelRun:
    """Labelbox stores creation-time training metadata with top-level keys in camelCase."""
    model = org.model(model_id)
    _require_name(name, "model run")
    if any(run.name == name and run.model_id == model.id for run in org.model_runs.values()):
        from .errors import Conflict

        raise Conflict(f"model {model.id} already has a model run named {name!r}")
    metadata = None
    if config is not None:
        metadata = {_camel(key) if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", key) else key: value
                    for key, value in _require_object(config, "trainingMetadata").items()}
    now = clock.now()
    run = ModelRun(
        id=ids.new(), name=name, model_id=model.id, created_at=now, updated_at=now,
        created_by_id=org.user.id, training_metadata=metadata,
    )
    org.model_runs[run.id] = run
    return run


def delete_model_runs(org: Organization, run_ids: list[str]) -> None:
    for run_id in run_ids:
        org.model_run(run_id)
    for run_id in run_ids:
        org.model_runs.pop(run_id, None)
        forget(org, run_id)


def update_config(org: Organization, clock: MockClock, run_id: str, config: Any) -> ModelRun:
    """Merges `config` into the run's training metadata, keys as given."""
    run = org.model_run(run_id)
    updates = _require_object(config, "config")
    run.training_metadata = {**(run.training_metadata or {}), **updates}
    run.updated_at = clock.now()
    return run


def reset_config(org: Organization, clock: MockClock, run_id: str) -> ModelRun:
    run = org.model_run(run_id)
    run.training_metadata = None
    run.updated_at = clock.now()
    return run


def update_training_pipeline(
    org: Organization, clock: MockClock, run_id: str, status: str, error_message: str | None, metadata: Any
) -> ModelRun:
    """Status replaces; metadata merges across calls; an omitted error message is kept."""
    run = org.model_run(run_id)
    if status not in TRAINING_STATUSES:
        raise InvalidInput(f"unknown training status {status!r}; expected one of {', '.join(TRAINING_STATUSES)}")
    if metadata is not None:
        run.status_metadata = {**run.status_metadata, **_require_object(metadata, "metadata")}
    if error_message is not None:
        run.error_message = error_message
    run.status = status
    run.updated_at = clock.now()
    return run
