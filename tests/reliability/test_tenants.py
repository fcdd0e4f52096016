"""Tenants: each API key is its own organisation; another's objects are as invisible as missing ones.

For every probe, tenant B's answer about an object of tenant A must equal,
word for word once the id is swapped, its answer about an id nobody has; and
A's organisation must come out of it unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from labelbox_lite.exceptions import ResourceNotFoundError, TaskFailedError

from ..support import World, standard_seed, world_from
from .conftest import Target

OTHER_KEY = "tenant-b-key"
NOBODYS = "cnobodyhasthisid000000000"


@pytest.fixture
def tenant_a(target: Target) -> dict[str, Any]:
    """Tenant A's world, with a model run that has data rows, labels and a finished task."""
    target.backend.add_api_key(OTHER_KEY)
    target.backend.seed(standard_seed(1), api_key=OTHER_KEY)  # B has a world of its own
    world = world_from(target.backend.seed(standard_seed(4)), 4)
    client = target.client()
    run = client.get_model(world.model_id).create_model_run("a-run", {"secret": 1})
    run.upsert_labels(label_ids=world.label_ids)
    org_a = target.backend.store.organizations()[0]
    return {"world": world, "run_id": run.uid, "task_id": next(iter(org_a.tasks)), "user_id": org_a.user.id}


def _probes(a: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, document, variables) with the foreign id in the place a caller would put one."""
    world: World = a["world"]
    run, ident = a["run_id"], "{id: $id}"
    return [
        ("model", f"query($id: ID!) {{ model(where: {ident}) {{ id name }} }}", {"id": world.model_id}),
        ("model runs of a model", f"query($id: ID!) {{ model(where: {ident}) {{ modelRuns {{ id }} }} }}",
         {"id": world.model_id}),
        ("model run", f"query($id: ID!) {{ modelRun(where: {ident}) {{ id trainingMetadata }} }}", {"id": run}),
        ("project", f"query($id: ID!) {{ project(where: {ident}) {{ id name }} }}", {"id": world.project_id}),
        ("data row", f"query($id: ID!) {{ dataRow(where: {ident}) {{ id rowData }} }}", {"id": world.data_row_ids[0]}),
        ("data row by global key", "query($id: String!) { dataRow(where: {globalKey: $id}) { id } }",
         {"id": world.global_keys[-1]}),  # B has a gk-0 of its own: keys are per organisation
        ("another user's tasks", f"query($id: ID!) {{ user(where: {ident}) {{ createdTasks {{ id }} }} }}",
         {"id": a["user_id"]}),
        ("task", f"query($id: ID!) {{ task(where: {ident}) {{ id status }} }}", {"id": a["task_id"]}),
        ("task status", f"query($id: ID!) {{ MEALabelRegistrationTaskStatus(where: {ident}) {{ status }} }}",
         {"id": a["task_id"]}),
        ("training pipeline", f"query($id: ID!) {{ trainingPipeline(where: {ident}) {{ status }} }}", {"id": run}),
        ("annotation groups", ("query($id: ID!) { annotationGroups(where: {modelRunId: {id: $id}}) "
                              "{ nodes { id } } }"), {"id": run}),
        ("create a model on the ontology", ("mutation($id: ID!) { createModel(data: {name: \"x\", ontologyId: $id}) "
                                           "{ id } }"), {"id": world.ontology_id}),
        ("create a run on the model", ("mutation($id: ID!) { createModelRun(data: {name: \"x\", modelId: $id}) "
                                      "{ id } }"), {"id": world.model_id}),
        ("update the run's config", (f"mutation($id: ID!) {{ updateModelRunConfig(modelRun: {ident}, "
                                    "data: {config: {stolen: true}}) { trainingMetadata } }"), {"id": run}),
        ("reset the run's config", (f"mutation($id: ID!) {{ resetModelRunConfig(modelRun: {ident}) "
                                   "{ trainingMetadata } }"), {"id": run}),
        ("set the run's status", (f"mutation($id: ID!) {{ updateTrainingPipeline(modelRun: {ident}, "
                                 "data: {status: FAILED}) { status } }"), {"id": run}),
        ("register rows in the run", (f"mutation($id: ID!) {{ createMEAModelRunDataRowRegistrationTask(where: "
                                     f"{ident}, data: {{globalKeys: [\"gk-0\"]}}) }}"), {"id": run}),
        ("register the project's labels", ("mutation($id: ID!, $run: ID!) { createMEAModelRunProjectLabelRegistration"
                                          "Task(where: {modelRunId: $run, projectId: $id}) }"),
         {"id": world.project_id, "run": "OWN_RUN"}),
        ("delete the run's rows", ("mutation($id: ID!) { deleteModelRunDataRows(where: {modelRunId: $id, "
                                  "dataRowIds: [\"x\"]}) }"), {"id": run}),
        ("split the run's rows", (f"mutation($id: ID!) {{ createAssignDataRowsToDataSplitTask(modelRun: {ident}, "
                                 "data: {assignments: [{split: TEST, globalKeys: [\"gk-0\"]}]}) }"), {"id": run}),
        ("delete the run", "mutation($id: ID!) { deleteModelRuns(where: {ids: [$id]}) }", {"id": run}),
        ("delete the model", "mutation($id: ID!) { deleteModels(where: {ids: [$id]}) }", {"id": world.model_id}),
    ]


def _ask(target: Target, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = target.post_graphql(json.dumps({"query": document, "variables": variables}).encode(),
                                   api_key=OTHER_KEY)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_another_tenants_objects_answer_as_missing_ones(target: Target, tenant_a: dict[str, Any]) -> None:
    own_run_id = next(iter(target.client(OTHER_KEY).get_models())).create_model_run("b-run").uid
    org_a_before = target.state()["organizations"][0]
    for name, document, variables in _probes(tenant_a):
        variables = {key: own_run_id if value == "OWN_RUN" else value for key, value in variables.items()}
        foreign = variables["id"]
        answer = _ask(target, document, variables)
        missing = _ask(target, document, {**variables, "id": NOBODYS})
        assert json.dumps(answer).replace(foreign, NOBODYS) == json.dumps(missing), name
        codes = {error["extensions"]["code"] for error in answer.get("errors", [])}
        assert codes <= {"RESOURCE_NOT_FOUND"}, (name, answer)
        assert foreign not in json.dumps(answer.get("data")), name
    assert target.state()["organizations"][0] == org_a_before


def test_lists_show_only_the_callers_objects(target: Target, tenant_a: dict[str, Any]) -> None:
    b = target.client(OTHER_KEY)
    a = target.client()
    assert {m.uid for m in b.get_models()}.isdisjoint({m.uid for m in a.get_models()})
    assert b.get_user().uid != a.get_user().uid
    assert b.get_organization().uid != a.get_organization().uid


def test_the_client_reports_another_tenants_objects_as_not_found(target: Target, tenant_a: dict[str, Any]) -> None:
    world: World = tenant_a["world"]
    b = target.client(OTHER_KEY)
    for fetch, ident in [(b.get_model, world.model_id), (b.get_model_run, tenant_a["run_id"]),
                         (b.get_project, world.project_id), (b.get_data_row, world.data_row_ids[0]),
                         (b.get_task_by_id, tenant_a["task_id"])]:
        with pytest.raises(ResourceNotFoundError, match=ident):
            fetch(ident)
    own = next(iter(b.get_models()))
    run = own.create_model_run("b-run")
    # another tenant's rows and labels are unknown ones: the registration task fails naming them
    with pytest.raises(TaskFailedError, match=f"not found.*{world.data_row_ids[0]}"):
        run.upsert_data_rows(data_row_ids=world.data_row_ids[:1])
    with pytest.raises(TaskFailedError, match=f"label ids not found: '{world.label_ids[0]}'"):
        run.upsert_labels(label_ids=world.label_ids[:1])
    assert list(run.model_run_data_rows()) == []
