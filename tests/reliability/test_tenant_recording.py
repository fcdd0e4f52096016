"""Recording and replay per organisation on a shared mock (issue 15): a tenant records only its own calls,
reads only its own recording, replays only into its own organisation, and a replay never reissues a live id
(an id held elsewhere is replaced, and later calls name the replacement)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import CommandError, MockLabelbox

from ..support import ADMIN_TOKEN, FakeTime
from .conftest import IN_PROCESS_ORIGIN, OTHER, Target

SEED = {"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}]}


def _create_run(name: str) -> bytes:
    return json.dumps({"query": "mutation CreateModelRunPyApi($name: String!, $modelId: ID!) { createModelRun("
                                "data: {name: $name, modelId: $modelId}) { id name } }",
                       "variables": {"name": name, "modelId": "{model}"}}).encode()



def _build(target: Target, api_key: str, runs: int = 2) -> dict[str, Any]:
    """Seeds a model and creates `runs` model runs under it, as `api_key`; answers the model and run ids."""
    model = target.steer_as(api_key).seed(SEED)["models"][0]
    run_ids = []
    for number in range(runs):
        body = _create_run(f"run-{number}").replace(b"{model}", model.encode())
        answer = target.post_graphql(body, api_key=api_key).json()
        run_ids.append(answer["data"]["createModelRun"]["id"])
    return {"model": model, "runs": run_ids}


def _org(target: Target, api_key: str) -> dict[str, Any]:
    [org] = target.steer_as(api_key).state()["organizations"]
    return org  # type: ignore[no-any-return]


def _shape(org: dict[str, Any]) -> dict[str, Any]:
    """An organisation's models and runs by name, with the run's model named, ids aside."""
    models = {model_id: model["name"] for model_id, model in org["models"].items()}
    return {"models": sorted(models.values()),
            "runs": sorted((run["name"], models[run["model_id"]]) for run in org["model_runs"].values())}


def test_a_tenant_records_only_its_own_calls_and_reads_only_its_own_recording(shared: Target) -> None:
    assert shared.steer.start_recording() is None
    _build(shared, OTHER)  # the other worker, meanwhile: none of it is test-key's
    mine = _build(shared, "test-key")
    shared.steer.stop_recording()
    recording = shared.steer.recording()
    assert [call["path"] for call in recording["calls"]] == ["/_mock/seed", "/graphql", "/graphql"]
    assert {call["tenant_number"] for call in recording["calls"]} == {0}
    assert mine["model"] in recording["calls"][0]["ids"]
    assert [call["ids"] for call in recording["calls"][1:]] == [[run] for run in mine["runs"]]
    assert "test-key" not in json.dumps(recording) and OTHER not in json.dumps(recording)
    # the other tenant never started one: its recording is empty, and it cannot stop or read test-key's
    assert shared.steer_as(OTHER).recording()["calls"] == []
    # the admin's whole-mock recorder never ran
    assert shared.steer_as(ADMIN_TOKEN).recording()["calls"] == []


def test_a_tenant_replays_into_its_own_organisation_only(shared: Target) -> None:
    shared.steer.start_recording()
    mine = _build(shared, "test-key")
    recording = shared.steer.recording()
    shared.steer.stop_recording()
    theirs_before = _build(shared, OTHER, runs=1) and _org(shared, OTHER)
    before = _org(shared, "test-key")
    answer = shared.steer.replay(recording)
    assert answer == {"calls": 3, "failed": 0, "ids_replaced": 0}  # its own ids were freed by the reset
    after = _org(shared, "test-key")
    assert set(after["model_runs"]) == set(mine["runs"]) and list(after["models"]) == [mine["model"]]
    assert _shape(after) == _shape(before)
    assert _org(shared, OTHER) == theirs_before


def test_replaying_another_tenants_recording_replaces_its_live_ids(shared: Target) -> None:
    shared.steer.start_recording()
    mine = _build(shared, "test-key", runs=3)
    recording = shared.steer.recording()
    before = _org(shared, "test-key")
    # the file reaches the other worker: it replays into its own organisation, never into test-key's
    answer = shared.steer_as(OTHER).replay(recording)
    assert answer["failed"] == 0 and answer["ids_replaced"] >= 4  # the model and its three runs were live
    theirs = _org(shared, OTHER)
    assert _shape(theirs) == _shape(before)  # every run made under the replayed model, not test-key's
    assert not set(theirs["model_runs"]) & set(mine["runs"]) and mine["model"] not in theirs["models"]
    assert _org(shared, "test-key") == before


def test_a_tenant_cannot_restart_the_id_sequence_or_replay_other_organisations(shared: Target) -> None:
    with pytest.raises(CommandError, match="admin token") as refused:
        shared.steer.start_recording(id_seed=7)
    assert refused.value.status == 400
    # a whole-mock recording of both tenants: the admin replays it; a key may not
    shared.steer_as(ADMIN_TOKEN).start_recording(id_seed=7)
    _build(shared, "test-key", runs=1)
    _build(shared, OTHER, runs=1)
    whole = shared.steer_as(ADMIN_TOKEN).recording()
    assert whole["id_seed"] == 7 and {call["tenant_number"] for call in whole["calls"]} == {0, 1}
    before = shared.backend.dump()
    with pytest.raises(CommandError, match="2 organisations"):
        shared.steer.replay(whole)
    assert shared.backend.dump() == before
    assert shared.steer_as(ADMIN_TOKEN).replay(whole)["failed"] == 0


def test_in_process_recording_stays_whole_mock() -> None:
    with MockLabelbox(api_keys=[OTHER]) as mock:
        assert mock.start_recording(id_seed=3) == 3
        mock.seed(SEED)
        mock.seed(SEED, api_key=OTHER)
        mock.stop_recording()
        assert {call["tenant_number"] for call in mock.recording()["calls"]} == {0, 1}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=st.integers(0, 3), other_first=st.booleans(), replays=st.integers(1, 3))
def test_replays_never_reissue_a_live_id(runs: int, other_first: bool, replays: int) -> None:
    """Whoever replays whichever recording, however often, no id is held twice and each org is as recorded."""
    with MockLabelbox(api_keys=[OTHER]) as mock:
        target = Target("in-process", mock.backend, IN_PROCESS_ORIGIN, FakeTime())
        target.steer.start_recording()
        if other_first:
            _build(target, OTHER, runs)
        _build(target, "test-key", runs)
        recording = target.steer.recording()
        expected = _shape(_org(target, "test-key"))
        for number in range(replays):
            key = OTHER if number % 2 == 0 else "test-key"
            assert target.steer_as(key).replay(recording)["failed"] == 0
            assert _shape(_org(target, key)) == expected
            held = [record_id for org in mock.backend.store.organizations() for table in org.tables()
                    for record_id in table]
            assert len(held) == len(set(held))


def test_a_version_1_recording_replays_whole_mock_only(shared: Target) -> None:
    v1 = {"version": 1, "id_seed": 5, "calls": [
        {"method": "POST", "path": "/_mock/seed", "content_type": "application/json", "tenant": 0,
         "body": base64.b64encode(json.dumps(SEED).encode()).decode()}]}
    with pytest.raises(CommandError, match="version-1"):
        shared.steer.replay(v1)
    assert shared.steer_as(ADMIN_TOKEN).replay(v1)["failed"] == 0
    assert [model["name"] for model in _org(shared, "test-key")["models"].values()] == ["m"]
