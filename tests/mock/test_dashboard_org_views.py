"""The dashboard's views of the organisation, its models, projects and ontologies (GET /_mock/organization,
/_mock/models, /_mock/projects, /_mock/ontologies): what each answers, that each is a page, and that
none costs in proportion to the organisation's data rows."""

from __future__ import annotations

import json
import sys
import tracemalloc
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import Backend, MockLabelbox, MockServerClient, RunningServer
from mockserver.http.views import MAX_LISTED, MAX_RUN_ROWS, MAX_RUN_ROWS_IN_VIEW, VIEWS, ontology_view, run_view
from mockserver.ids import IdFactory
from mockserver.state import model_run_rows
from mockserver.state.organization import Organization
from mockserver.state.records import Classification, DataRow, ModelRun, Ontology, Tool

from ..support import ADMIN_TOKEN, World, standard_seed

ORG_VIEWS = ("organization", "models", "projects", "ontologies")


def test_the_models_view_shows_each_run_with_its_splits_config_and_rows(client: lb.Client, world: World,
                                                                         mock: MockLabelbox) -> None:
    model = client.get_model(world.model_id)
    run = model.create_model_run("baseline", config={"epochs": 10})
    run.upsert_labels(project_id=world.project_id)  # the first five rows, one label each
    run.upsert_data_rows(global_keys=["gk-7"])
    run.assign_data_rows_to_split(global_keys=["gk-0", "gk-1"], split="TRAINING")
    run.assign_data_rows_to_split(global_keys=["gk-7"], split="VALIDATION")
    model.create_model_run("empty")

    view = mock.models()
    assert view["models_left_out"] == 0
    (shown,) = view["models"]
    assert (shown["id"], shown["name"], shown["ontology_name"], shown["run_count"], shown["runs_left_out"]) == (
        world.model_id, "detector", "everything", 2, 0)
    first, empty = shown["runs"]
    assert (first["id"], first["name"], first["training_metadata"], first["row_count"]) == (
        run.uid, "baseline", {"epochs": 10}, 6)
    # splits in the order they first occur among the run's rows; None is a row with no split
    assert first["splits"] == [{"split": "TRAINING", "rows": 2}, {"split": None, "rows": 3},
                               {"split": "VALIDATION", "rows": 1}]
    assert [(row["global_key"], row["split"], row["labels"], row["predictions"]) for row in first["rows"]] == [
        ("gk-0", "TRAINING", 1, 0), ("gk-1", "TRAINING", 1, 0), ("gk-2", None, 1, 0), ("gk-3", None, 1, 0),
        ("gk-4", None, 1, 0), ("gk-7", "VALIDATION", 0, 0)]
    assert (empty["name"], empty["row_count"], empty["splits"], empty["rows"], empty["rows_left_out"]) == (
        "empty", 0, [], [], 0)
    # a split moved is counted again: the counts follow the run
    run.assign_data_rows_to_split(global_keys=["gk-7"], split="TRAINING")
    assert mock.models()["models"][0]["runs"][0]["splits"] == [{"split": "TRAINING", "rows": 3},
                                                              {"split": None, "rows": 3}]


def test_the_projects_view_shows_steps_batches_ontology_labels_and_tags(client: lb.Client, world: World,
                                                                        mock: MockLabelbox) -> None:
    project = client.get_project(world.project_id)
    project.create_batch("first", global_keys=["gk-5", "gk-6", "gk-7"], priority=2)  # rows the seed did not label
    tag = client.execute("mutation CreateResourceTagPyApi($text:String!,$color:String!)"
                         "{createResourceTag(input:{text:$text,color:$color}){id}}",
                         {"text": "urgent", "color": "ff0000"})["createResourceTag"]["id"]
    client.execute("mutation UpdateProjectResourceTagsPyApi($projectId:ID!,$resourceTagIds:[String!])"
                   "{project(where:{id:$projectId}){updateProjectResourceTags(input:{resourceTagIds:$resourceTagIds})"
                   "{id}}}", {"projectId": project.uid, "resourceTagIds": [tag]})

    view = mock.projects()
    (shown,) = view["projects"]
    assert view["projects_left_out"] == 0
    assert (shown["name"], shown["media_type"], shown["ontology_name"], shown["label_count"]) == (
        "labelled", "IMAGE", "everything", 5)
    assert (shown["batch_count"], shown["batches_left_out"]) == (1, 0)
    (batch,) = shown["batches"]
    assert (batch["name"], batch["data_rows"], batch["priority"]) == ("first", 3, 2)
    assert shown["workflow_steps"][0] == {"id": shown["workflow_steps"][0]["id"], "name": "Initial labeling task",
                                          "data_rows": 3}
    assert shown["tags"] == [{"id": tag, "text": "urgent", "color": "ff0000"}] and shown["tags_left_out"] == 0


def test_the_ontologies_view_shows_features_and_the_schemas_no_ontology_places(client: lb.Client, world: World,
                                                                               mock: MockLabelbox) -> None:
    loose = client.create_feature_schema({"tool": "point", "name": "loose"})
    view = mock.ontologies()
    (ontology,) = view["ontologies"]
    assert (ontology["id"], ontology["name"], view["ontologies_left_out"]) == (world.ontology_id, "everything", 0)
    assert {feature["feature_schema_id"] for feature in ontology["features"]} >= set(
        feature_id for name, feature_id in world.features.items() if name in ("box", "polygon"))
    box = next(feature for feature in ontology["features"] if feature["name"] == "box")
    assert (box["tool"], box["type"], box["archived"]) == ("rectangle", None, False)
    assert any(feature["tool"] is None and feature["type"] for feature in ontology["features"])
    (unplaced,) = view["unplaced_feature_schemas"]
    assert unplaced["left_out"] == 0
    assert [(s["id"], s["name"], s["tool"]) for s in unplaced["feature_schemas"]] == [(loose.uid, "loose", "point")]


def test_the_organization_view_names_the_keys_organisation() -> None:
    backend = Backend(["alpha", "beta"], admin_token=ADMIN_TOKEN)
    alpha, beta = (backend.store.org_for_key(key) for key in ("alpha", "beta"))
    assert alpha is not None and beta is not None
    with RunningServer(backend) as server:
        assert MockServerClient(server.url, "alpha").organization() == [{"id": alpha.id, "name": alpha.name}]
        assert [org["id"] for org in MockServerClient(server.url, ADMIN_TOKEN).organization()] == [alpha.id, beta.id]


def test_each_key_sees_its_own_and_the_admin_token_every_organisations() -> None:
    with RunningServer(Backend(["alpha", "beta"], admin_token=ADMIN_TOKEN)) as server:
        alpha, beta = MockServerClient(server.url, "alpha"), MockServerClient(server.url, "beta")
        for remote, name in ((alpha, "a"), (beta, "b")):
            remote.seed({"ontologies": [{"name": name}], "projects": [{"name": name}],
                       "models": [{"name": name, "ontology": name}]})
        admin = MockServerClient(server.url, ADMIN_TOKEN)
        for view in ("models", "projects", "ontologies"):
            assert [item["name"] for item in getattr(alpha, view)()[view]] == ["a"]
            assert [item["name"] for item in getattr(beta, view)()[view]] == ["b"]
            assert [item["name"] for item in getattr(admin, view)()[view]] == ["a", "b"]
        over_http = {view: _shape(getattr(alpha, view)()) for view in ("models", "projects", "ontologies")}
    # in-process and over HTTP: one view, one shape
    with MockLabelbox() as mock:
        mock.seed({"ontologies": [{"name": "a"}], "projects": [{"name": "a"}], "models": [{"name": "a", "ontology": "a"}]})
        assert {view: _shape(getattr(mock, view)()) for view in over_http} == over_http


def _shape(value: Any) -> Any:
    """The keys and types of a JSON value, not its ids and times."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize("view", ORG_VIEWS)
@pytest.mark.parametrize(("method", "key", "status"), [
    ("GET", None, 401), ("GET", "not-a-key", 401), ("POST", "test-key", 404), ("DELETE", "test-key", 404)])
def test_the_views_are_read_only_and_need_a_key(view: str, method: str, key: str | None, status: int) -> None:
    with RunningServer() as server:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        answer = requests.request(method, f"{server.url}/_mock/{view}", headers=headers, timeout=10)
        assert answer.status_code == status
        assert "error" in answer.json()


# -- pages: each list is cut at its cap and counts the rest ---------------------------------------------------

def _org() -> tuple[Backend, Organization]:
    backend = Backend()
    org = backend.store.org_for_key("test-key")
    assert org is not None
    return backend, org


def _run(org: Organization, rows: int, splits: list[str | None]) -> ModelRun:
    run = ModelRun(id="run", name="r", model_id="m", created_at=0.0, updated_at=0.0)
    org.model_runs[run.id] = run
    for i in range(rows):
        org.data_rows[f"d{i}"] = DataRow(id=f"d{i}", dataset_id="ds", row_data="x", created_at=0.0, updated_at=0.0,
                                         global_key=f"k{i}")
    ids = IdFactory()
    model_run_rows.register_data_rows(org, ids, _clock(), run.id, [f"d{i}" for i in range(rows)], [])
    for i, split in enumerate(splits[:rows]):
        model_run_rows.assign_splits(org, _clock(), run.id, [(split or "UNASSIGNED", [f"d{i}"], [])])
    return run


def _clock() -> Any:
    from mockserver.clock import MockClock

    return MockClock()


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(0, 30), limit=st.integers(0, 40),
       splits=st.lists(st.sampled_from([None, "TRAINING", "TEST", "VALIDATION"]), max_size=30))
def test_a_run_lists_its_first_rows_and_counts_every_split(rows: int, limit: int, splits: list[str | None]) -> None:
    _, org = _org()
    run = _run(org, rows, splits)
    view = run_view(org, run, limit)
    assert [row["data_row_id"] for row in view["rows"]] == [f"d{i}" for i in range(min(rows, limit))]
    assert view["row_count"] == rows and view["rows_left_out"] == rows - len(view["rows"])
    counted: dict[str | None, int] = {}
    for entry in run.rows.values():
        counted[entry.split] = counted.get(entry.split, 0) + 1
    assert [(item["split"], item["rows"]) for item in view["splits"]] == list(counted.items())
    json.dumps(view)


@settings(max_examples=25, deadline=None)
@given(moves=st.lists(st.tuples(st.integers(0, 9), st.sampled_from(["TRAINING", "TEST", "UNASSIGNED", "delete"])),
                      max_size=12))
def test_split_counts_follow_every_change_to_the_run(moves: list[tuple[int, str]]) -> None:
    _, org = _org()
    run = _run(org, 10, [])
    for index, move in moves:
        model_run_rows.split_counts(org, run)  # read between changes: a stale count would show
        if f"d{index}" not in run.rows:
            continue
        if move == "delete":
            model_run_rows.delete_rows(org, _clock(), run.id, [f"d{index}"])
        else:
            model_run_rows.assign_splits(org, _clock(), run.id, [(move, [f"d{index}"], [])])
    expected: dict[str | None, int] = {}
    for entry in run.rows.values():
        expected[entry.split] = expected.get(entry.split, 0) + 1
    assert model_run_rows.split_counts(org, run) == list(expected.items())


@settings(max_examples=20, deadline=None)
@given(models=st.integers(0, MAX_LISTED + 3), projects=st.integers(0, MAX_LISTED + 3),
       ontologies=st.integers(0, MAX_LISTED + 3))
def test_each_list_is_cut_at_its_cap_and_counts_the_rest(models: int, projects: int, ontologies: int) -> None:
    with MockLabelbox() as mock:
        mock.seed({"ontologies": [{"name": f"o{i}"} for i in range(max(1, ontologies))],
                   "projects": [{"name": f"p{i}"} for i in range(projects)],
                   "models": [{"name": f"m{i}", "ontology": "o0"} for i in range(models)]})
        for name, count in (("models", models), ("projects", projects), ("ontologies", max(1, ontologies))):
            view = getattr(mock, name)()
            assert [item["name"] for item in view[name]] == [f"{name[0]}{i}" for i in range(min(count, MAX_LISTED))]
            assert view[f"{name}_left_out"] == max(0, count - MAX_LISTED)


@given(tools=st.integers(0, MAX_LISTED + 5), classifications=st.integers(0, MAX_LISTED + 5))
def test_an_ontology_lists_its_first_features_tools_first(tools: int, classifications: int) -> None:
    ontology = Ontology(id="o", name="o",
                        tools=[Tool(feature_schema_id=f"t{i}", name=f"t{i}", tool="point") for i in range(tools)],
                        classifications=[Classification(feature_schema_id=f"c{i}", name=f"c{i}", type="text")
                                         for i in range(classifications)])
    _, org = _org()
    view = ontology_view(org, ontology)
    names = [f"t{i}" for i in range(tools)] + [f"c{i}" for i in range(classifications)]
    assert [feature["name"] for feature in view["features"]] == names[:MAX_LISTED]
    assert view["features_left_out"] == len(names) - len(view["features"])


def test_the_models_view_lists_rows_only_while_its_budget_lasts() -> None:
    runs = MAX_RUN_ROWS_IN_VIEW // MAX_RUN_ROWS + 2
    with MockLabelbox() as mock:
        created = mock.seed({**standard_seed(MAX_RUN_ROWS), "projects": []})
        client = lb.Client(api_key=mock.api_key, enable_experimental=True)
        model = client.get_model(created["models"][0])
        for i in range(runs):
            model.create_model_run(f"r{i}").upsert_data_rows(global_keys=[f"gk-{j}" for j in range(MAX_RUN_ROWS)])
        shown = mock.models()["models"][0]["runs"]
    assert [len(run["rows"]) for run in shown] == [MAX_RUN_ROWS] * (runs - 2) + [0, 0]
    assert all(run["row_count"] == MAX_RUN_ROWS == len(run["rows"]) + run["rows_left_out"] for run in shown)


# -- cost: what a poll of the views costs does not grow with the organisation's data rows ---------------------

SMALL, BIG = MAX_RUN_ROWS + 100, 5 * (MAX_RUN_ROWS + 100)


def _work(rows: int) -> tuple[int, int]:
    """(calls, peak bytes allocated) while every view of an organisation of `rows` data rows is read, all of
    them in a project's batch, half labelled, all in a model run with splits."""
    with MockLabelbox() as mock:
        seed = standard_seed(rows)
        created = mock.seed({**seed, "projects": [*seed["projects"], {"name": "batched", "ontology": "everything"}]})
        client = lb.Client(api_key=mock.api_key, enable_experimental=True)
        keys = [f"gk-{i}" for i in range(rows)]
        client.get_project(created["projects"][1]["id"]).create_batch("all", global_keys=keys)
        run = client.get_model(created["models"][0]).create_model_run("all")
        run.upsert_labels(project_id=created["projects"][0]["id"])
        run.upsert_data_rows(global_keys=keys)
        run.assign_data_rows_to_split(global_keys=keys[: rows // 3], split="TRAINING")
        for name in ORG_VIEWS:  # the first read after a change builds the indexes, as a listing's does
            VIEWS[name](mock.backend, None)
        calls = 0

        def count(_frame: Any, event: str, _arg: Any) -> None:
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        tracemalloc.start()
        sys.setprofile(count)
        try:
            for name in ORG_VIEWS:
                VIEWS[name](mock.backend, None)
        finally:
            sys.setprofile(None)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    return calls, peak


def test_reading_the_views_costs_the_same_whatever_the_number_of_data_rows() -> None:
    small_calls, small_peak = _work(SMALL)
    big_calls, big_peak = _work(BIG)
    # a step per data row (or label, or run row) anywhere would add at least BIG - SMALL calls
    assert big_calls - small_calls < (BIG - SMALL) // 10, (small_calls, big_calls)
    assert big_peak - small_peak < 8 * (BIG - SMALL) // 2, (small_peak, big_peak)
