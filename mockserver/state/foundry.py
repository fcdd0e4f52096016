"""Foundry apps: a Foundry model with inference settings and the ontology its predictions use.

Labelbox's Foundry models are a catalog of its own, named by UUIDs; the mock holds no catalog, so
any UUID names a Foundry model (and nothing else does). An organisation keeps at most MAX_APPS
apps, each at most MAX_APP_BYTES of names, description and JSON settings.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .errors import InvalidInput, NotFound, ServiceRefused
from .model_run_rows import listing
from .models import create_model, create_model_run
from .organization import Organization
from .records import FoundryApp, ModelRun

MAX_APPS = 500
MAX_APP_BYTES = 64 * 1024
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def check_foundry_model(model_id: Any) -> str:
    if not isinstance(model_id, str) or not _UUID.fullmatch(model_id):
        raise InvalidInput(f"modelId must name a Foundry model (a UUID), got {model_id!r}")
    return str(uuid.UUID(model_id))


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


def check_class_mapping(org: Organization, ontology_id: str, mapping: Any) -> dict[str, str]:
    """classToSchemaId maps the model's class names to feature schema ids of the ontology."""
    mapping = _object(mapping, "classToSchemaId")
    ontology = org.ontology(ontology_id)
    known = {feature.feature_schema_id for feature in ontology.features()}
    wrong = [f"{name!r}" for name, schema_id in mapping.items() if not isinstance(schema_id, str)]
    if wrong:
        raise InvalidInput(f"classToSchemaId: the schema ids of {', '.join(wrong)} must be strings")
    unknown = [schema_id for schema_id in mapping.values() if schema_id not in known]
    if unknown:
        raise InvalidInput(f"classToSchemaId: no feature of ontology {ontology.id} has the schema id {listing(unknown)}")
    return {str(name): str(schema_id) for name, schema_id in mapping.items()}


def create_app(org: Organization, ids: IdFactory, clock: MockClock, data: dict[str, Any]) -> FoundryApp:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"an app needs a non-empty name, got {name!r}")
    model_id = check_foundry_model(data.get("modelId"))
    ontology_id = org.ontology(data["ontologyId"]).id
    params = _object(data.get("inferenceParams"), "inferenceParams")
    mapping = check_class_mapping(org, ontology_id, data.get("classToSchemaId"))
    description = data.get("description")
    size = len(json.dumps([name, description, params, mapping]).encode())
    if size > MAX_APP_BYTES:
        raise InvalidInput(f"an app's name, description and settings are at most {MAX_APP_BYTES} bytes, got {size}")
    if len(org.foundry_apps) >= MAX_APPS:
        raise InvalidInput(f"the organisation already has {len(org.foundry_apps)} apps, the most the mock keeps; "
                           "delete some first")
    app = FoundryApp(id=ids.new(), name=name, model_id=model_id, ontology_id=ontology_id, inference_params=params,
                     class_to_schema_id=mapping, created_at=clock.now(), description=description,
                     created_by_id=org.user.id)
    org.foundry_apps[app.id] = app
    return app


def find_app(org: Organization, app_id: str) -> FoundryApp:
    """Labelbox's app service answers a missing app with an error of its own, not the API's RESOURCE_NOT_FOUND
    (the SDK turns its "not found" into ResourceNotFoundError)."""
    try:
        return org.foundry_app(app_id)
    except NotFound as missing:
        raise ServiceRefused(f"Model foundry app not found: id {app_id!r}") from missing


def delete_app(org: Organization, app_id: str) -> None:
    """The app goes; the model runs it made stay, as model runs do."""
    del org.foundry_apps[org.foundry_app(app_id).id]


def new_run(org: Organization, ids: IdFactory, clock: MockClock, app: FoundryApp, name: str,
            ontology_id: str) -> ModelRun:
    """The model run a run of `app` predicts into, under the organisation's model for the app (made at the
    app's first run, named after it)."""
    if app.org_model_id is None or app.org_model_id not in org.models:
        app.org_model_id = create_model(org, ids, clock, app.name, ontology_id).id
    run = create_model_run(org, ids, clock, app.org_model_id, name)
    run.model_app_id = app.id
    return run
