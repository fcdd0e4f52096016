"""The strategies users get in mockserver.strategies draw seeds the mock accepts."""

from __future__ import annotations

from typing import Any

from hypothesis import given

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.strategies import datasets, ontologies, seeds


@given(seed=seeds())
def test_every_drawn_seed_loads_and_reads_back(mock: MockLabelbox, client: lb.Client, seed: dict[str, Any]) -> None:
    mock.reset()
    created = mock.seed(seed)
    keys = [row["global_key"] for row in seed["datasets"][0]["data_rows"]]
    assert len(created["datasets"][0]["data_rows"]) == len(keys)
    assert len(created["projects"][0]["labels"]) == len(seed["projects"][0]["labels"])
    (model,) = client.get_models()
    assert model.ontology_id == created["ontologies"][0]["id"]
    run = model.create_model_run("run")
    run.upsert_data_rows(global_keys=keys)
    assert {r.data_row().global_key for r in run.model_run_data_rows()} == set(keys)


@given(ontology=ontologies(), dataset=datasets(key_prefix="x-"))
def test_parts_compose_into_a_seed(mock: MockLabelbox, ontology: dict[str, Any], dataset: dict[str, Any]) -> None:
    mock.reset()
    created = mock.seed({"ontologies": [ontology], "datasets": [dataset]})
    names = [f["name"] for f in ontology["tools"] + ontology["classifications"]]
    assert sorted(created["ontologies"][0]["features"]) == sorted(names)
    assert all(row["global_key"].startswith("x-") for row in dataset["data_rows"])


@given(seed=seeds(max_rows=8))
def test_lookups_return_what_was_seeded(mock: MockLabelbox, client: lb.Client, seed: dict[str, Any]) -> None:
    mock.reset()
    created = mock.seed(seed)
    for row_id, row in zip(created["datasets"][0]["data_rows"], seed["datasets"][0]["data_rows"], strict=True):
        fetched = client.get_data_row(row_id)
        assert (fetched.row_data, fetched.global_key, fetched.external_id) == (
            row["row_data"], row["global_key"], row["external_id"])
    project = client.get_project(created["projects"][0]["id"])
    assert project.name == "project" and project.media_type == "IMAGE"
    assert client.get_user() == client.get_user() and client.get_organization().name.startswith("Mock")
