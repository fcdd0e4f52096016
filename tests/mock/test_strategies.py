"""The strategies users get in mockserver.strategies: seeds the mock accepts, and predictions whose fate they name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.strategies import (
    PredictionTarget,
    datasets,
    invalid_predictions,
    mixed_predictions,
    ontologies,
    predictions,
    seeds,
)


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


def _ndjson_file(folder: Path, rows: list[dict[str, Any]]) -> Path:
    """Broken rows go up as a file: the client checks dicts' dataRow before upload, as the SDK does."""
    path = folder / "predictions.ndjson"
    path.write_text("".join(json.dumps(row, allow_nan=False) + "\n" for row in rows))
    return path


def _run_with_target(mock: MockLabelbox, client: lb.Client, seed: dict[str, Any]) -> tuple[lb.ModelRun, PredictionTarget]:
    """A model run holding the first half of the seed's rows (at least one); the rest stay outside it."""
    mock.reset()
    created = mock.seed(seed)
    keys = [row["global_key"] for row in seed["datasets"][0]["data_rows"]]
    ids = created["datasets"][0]["data_rows"]
    half = max(1, len(keys) // 2)
    run = client.get_model(created["models"][0]).create_model_run("run")
    run.upsert_data_rows(global_keys=keys[:half])
    target = PredictionTarget.from_seed(seed["ontologies"][0], created["ontologies"][0], global_keys=keys[:half],
                                        data_row_ids=ids[:half], outside_global_keys=keys[half:],
                                        media_type=seed["datasets"][0]["data_rows"][0].get("media_type", "IMAGE"))
    return run, target


@given(seed=seeds(max_rows=6, max_labels=0), data=st.data())
def test_drawn_imports_meet_the_fate_each_row_was_drawn_with(mock: MockLabelbox, client: lb.Client, tmp_path: Path,
                                                             seed: dict[str, Any], data: st.DataObject) -> None:
    run, target = _run_with_target(mock, client, seed)
    cases = data.draw(mixed_predictions(target, max_size=8))
    job = run.add_predictions("drawn", _ndjson_file(tmp_path, [row for row, _ in cases]))
    job.wait_till_done()
    assert len(job.statuses) == len(cases)
    for (row, expected), status in zip(cases, job.statuses, strict=True):
        if expected is None:
            assert status["status"] == "SUCCESS", (row, status)
        else:
            messages = [error["message"] for error in status["errors"]]
            assert any(message.startswith(expected) for message in messages), (row, expected, messages)
    stored = {p["uuid"] for entry in mock.backend.store.organizations()[0].model_runs[run.uid].rows.values()
              for p in entry.predictions}
    assert stored == {status["uuid"] for status in job.statuses if status["status"] == "SUCCESS"}


@given(seed=seeds(max_rows=4, max_labels=0), data=st.data())
def test_every_invalid_variant_fails_alone(mock: MockLabelbox, client: lb.Client, tmp_path: Path,
                                           seed: dict[str, Any], data: st.DataObject) -> None:
    run, target = _run_with_target(mock, client, seed)
    good = data.draw(predictions(target))
    bad, field = data.draw(invalid_predictions(target))
    if bad.get("uuid") == good["uuid"]:  # drawn twice by chance; a reused uuid is a different fault
        bad["uuid"] += "-bad"
    job = run.add_predictions("one bad", _ndjson_file(tmp_path, [good, bad]))
    job.wait_till_done()
    ok, failed = job.statuses
    assert ok["status"] == "SUCCESS" and failed["status"] == "FAILURE"
    assert any(error["message"].startswith(field) for error in failed["errors"]), (bad, field, failed)


def test_a_target_needs_rows_and_features() -> None:
    with pytest.raises(ValueError, match="data rows"):
        PredictionTarget(ontology={"tools": [{"tool": "point", "name": "p"}]})
    with pytest.raises(ValueError, match="at least one tool or classification"):
        PredictionTarget(ontology={"tools": [], "classifications": []}, global_keys=["k"])
    with pytest.raises(ValueError, match="no feature of the ontology annotates AUDIO rows"):
        PredictionTarget(ontology={"tools": [{"tool": "point", "name": "p"}]}, global_keys=["k"], media_type="AUDIO")
    with pytest.raises(ValueError, match="media_type must be one of"):
        PredictionTarget(ontology={"tools": [{"tool": "point", "name": "p"}]}, global_keys=["k"], media_type="SMELL")
