"""Running a Foundry app over data rows: the model run exists at once (the task names it in its
metadata), and the task registers the rows in it when it completes.

The mock runs no model, so the run's rows come without predictions; a test that needs them
imports predictions into the run (docs/porting.md).
"""

from __future__ import annotations

from typing import Any

from ..state import foundry as ops
from ..state import model_run_rows as rows
from ..state.errors import InvalidInput
from ..state.organization import Organization
from ..state.records import Task
from .tasks import TaskEngine


def run_app(tasks: TaskEngine, org: Organization, data: dict[str, Any]) -> Task:
    """createModelJobForDataRows: checked whole before the model run is made or the task starts."""
    app = org.foundry_app(data.get("modelAppId") or "")
    if ops.check_foundry_model(data["modelId"]) != app.model_id:
        raise InvalidInput(f"modelId {data['modelId']!r} is not the Foundry model of app {app.id} ({app.model_id})")
    ontology_id = org.ontology(data["ontologyId"]).id
    ops.check_class_mapping(org, ontology_id, data.get("classToSchemaId"))
    if not isinstance(data.get("inferenceParams"), dict):
        raise InvalidInput("inferenceParams must be a JSON object")
    data_row_ids, global_keys = list(data.get("dataRowIds") or []), list(data.get("globalKeys") or [])
    if not data_row_ids and not global_keys:
        raise InvalidInput("give dataRowIds or globalKeys: the data rows to run the app on")
    rows.resolve_data_rows(org, data_row_ids, global_keys)  # refuses unknown rows, naming them
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"a model run needs a non-empty name, got {name!r}")
    run = ops.new_run(org, tasks.ids, tasks.clock, app, name, ontology_id)

    def effect() -> None:
        rows.register_data_rows(org, tasks.ids, tasks.clock, run.id, data_row_ids, global_keys)

    return tasks.start(org, "foundry-run", f"Foundry app {app.name}: {name}", effect,
                       metadata={"modelRunId": run.id, "modelAppId": app.id})
