"""Foundry apps and their runs: an app names a Foundry model (a UUID), settings and an ontology; a run
predicts into a new model run, named in the task's metadata at once."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import LabelboxError, ResourceNotFoundError
from labelbox_lite.schema.foundry.app import App
from labelbox_lite.schema.foundry.foundry_client import FoundryClient
from mockserver import MockLabelbox

from ..support import World

FOUNDRY_MODEL = "c8a5b29a-cdba-408a-803a-a605a95631c2"  # the SDK's tests' YOLO object detection model


def _app(client: lb.Client, world: World, **changes: Any) -> App:
    fields: dict[str, Any] = {"model_id": FOUNDRY_MODEL, "name": f"app-{uuid.uuid4().hex[:8]}",
                              "description": "boxes", "inference_params": {"confidence": 0.2},
                              "class_to_schema_id": {"person": world.features["box"]},
                              "ontology_id": world.ontology_id}
    fields.update(changes)
    return FoundryClient(client)._create_app(App(**fields))


def test_an_app_runs_into_a_model_run_of_its_own(client: lb.Client, world: World) -> None:
    app = _app(client, world)
    foundry = FoundryClient(client)
    assert foundry._get_app(app.id or "").model_dump(exclude={"created_by"}) == app.model_dump(exclude={"created_by"})
    assert app.created_by == client.get_user().uid
    task = client.run_foundry_app("first run", lb.GlobalKeys(["gk-1", "gk-2"]), app.id or "")
    run = client.get_model_run(task.metadata["modelRunId"])  # the run exists before the task is done
    assert run.name == "first run"
    task.wait_till_done()
    assert task.status == "COMPLETE"
    assert sorted(r.data_row().uid for r in run.model_run_data_rows()) == sorted(world.data_row_ids[1:3])
    # a second run goes under the same model, the app's
    again = client.get_model_run(client.run_foundry_app("second run", lb.DataRowIds(world.data_row_ids[:1]),
                                                        app.id or "").metadata["modelRunId"])
    assert again.model_id == run.model_id and client.get_model(run.model_id).name == app.name
    foundry._delete_app(app.id or "")
    with pytest.raises(ResourceNotFoundError):
        foundry._get_app(app.id or "")
    assert client.get_model_run(run.uid).uid == run.uid  # runs outlive their app


@given(chosen=st.lists(st.integers(0, 9), min_size=1, unique=True), by_key=st.booleans())
def test_a_run_holds_exactly_the_rows_it_was_given(client: lb.Client, world: World, chosen: list[int],
                                                    by_key: bool) -> None:
    app = _app(client, world)
    rows = (lb.GlobalKeys([world.global_keys[i] for i in chosen]) if by_key
            else lb.DataRowIds([world.data_row_ids[i] for i in chosen]))
    task = client.run_foundry_app(f"run-{uuid.uuid4().hex[:8]}", rows, app.id or "")
    task.wait_till_done()
    run = client.get_model_run(task.metadata["modelRunId"])
    assert sorted(r.data_row().uid for r in run.model_run_data_rows()) == sorted(world.data_row_ids[i] for i in chosen)


@pytest.mark.parametrize("changes, message", [
    ({"model_id": "not-a-foundry-model"}, "modelId must name a Foundry model"),
    ({"class_to_schema_id": {"person": "cnosuchfeature00000000000"}}, "no feature of ontology"),
    ({"ontology_id": "cnosuchontology0000000000"}, "Ontology not found"),
    ({"name": " "}, "non-empty name"),
])
def test_a_bad_app_is_refused(client: lb.Client, world: World, mock: MockLabelbox, changes: dict[str, Any],
                              message: str) -> None:
    with pytest.raises(LabelboxError, match=message):
        _app(client, world, **changes)
    assert mock.backend.store.organizations()[0].foundry_apps == {}


def test_a_bad_run_is_refused_before_any_model_run_exists(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    app = _app(client, world)
    org = mock.backend.store.organizations()[0]
    runs_before = len(org.model_runs)
    with pytest.raises(LabelboxError, match="global keys not found: 'invalid-global-key'"):
        client.run_foundry_app("bad", lb.GlobalKeys(["invalid-global-key"]), app.id or "")
    with pytest.raises(ResourceNotFoundError):
        client.run_foundry_app("bad", lb.GlobalKeys(["gk-0"]), "cnosuchapp000000000000000")
    assert len(org.model_runs) == runs_before
