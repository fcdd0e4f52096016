"""The recorder: the requests that built a state replay into a fresh mock, ids and all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

import labelbox_lite as lb
from mockserver import CommandError, MockLabelbox, MockServerClient, RunningServer
from mockserver.backend import Backend
from mockserver.cli import main

from ..support import ADMIN_TOKEN, FakeTime, standard_seed, world_from


def build_some_state(mock: MockLabelbox) -> None:
    world = world_from(mock.seed(standard_seed(4)), 4)
    fake = FakeTime()
    client = lb.Client(api_key=mock.api_key, enable_experimental=True, poller=lb.Poller(fake.clock, fake.sleep))
    run = client.get_model(world.model_id).create_model_run("recorded", {"lr": 1})
    run.upsert_labels(project_id=world.project_id)
    run.assign_data_rows_to_split(global_keys=["gk-0"], split="TRAINING")
    run.update_config({"epochs": 2})


def comparable(state: dict[str, Any]) -> dict[str, Any]:
    """State minus wall-clock stamps, which differ between a run and its replay."""
    text = json.dumps(state, sort_keys=True, default=str)
    kept: dict[str, Any] = json.loads(
        text, object_hook=lambda d: {k: v for k, v in d.items() if not k.endswith(("_at", "due_at"))})
    return kept


def test_replay_rebuilds_the_same_state_with_the_same_ids() -> None:
    with MockLabelbox() as original:
        original.start_recording()
        build_some_state(original)
        recording = original.recording()
    assert "test-key" not in json.dumps(recording)
    with MockLabelbox() as fresh:
        summary = fresh.replay(recording)
        assert summary["failed"] == 0 and summary["calls"] == len(recording["calls"])
        assert comparable(fresh.state()) == comparable(original.state())


def test_replay_refuses_a_recording_that_needs_more_tenants() -> None:
    with MockLabelbox(api_keys=["second"]) as original:
        original.start_recording()
        original.seed(standard_seed(1), api_key="second")
        requests.post("https://api.labelbox.com/_mock/seed", json=standard_seed(1),
                      headers={"Authorization": "Bearer second"}, timeout=5)
        recording = original.recording()
    with MockLabelbox() as fresh, pytest.raises(ValueError, match="API keys"):
        fresh.replay(recording)


def test_recording_over_http_and_replay_from_the_cli(server: RunningServer, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    admin, tenant = MockServerClient(server.url, ADMIN_TOKEN), MockServerClient(server.url, "test-key")
    assert admin.start_recording(id_seed=7) == 7
    tenant.seed(standard_seed(3))
    client = lb.Client(api_key="test-key", endpoint=server.graphql_url)
    model = next(iter(client.get_models()))
    model.create_model_run("over http")
    admin.stop_recording()
    recording = admin.recording()
    path = tmp_path / "recording.json"
    path.write_text(json.dumps(recording))
    assert main(["replay", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 models, 1 model_runs, 1 projects, 3 data_rows" in out
    assert main(["replay", str(tmp_path / "missing.json")]) == 1
    with pytest.raises(CommandError, match="recording") as bad:
        admin.replay({"version": 99})
    assert bad.value.status == 400


def test_seeding_under_a_new_key_makes_it_a_tenant_replays_can_name() -> None:
    backend = Backend(["first"])
    backend.seed({"models": []}, api_key="second")
    second = backend.store.org_for_key("second")
    assert second is not None and backend.store.tenant_number(second.id) == 1
    assert backend.store.org_by_number(1) is second and len(backend.store.keys) == 2


def test_replay_restores_rows_created_from_uploaded_files() -> None:
    """Issue 24, finding 10: create_data_rows uploads its specs as files and names them by signed URL;
    a replay gives those files new tokens, and the later calls name the new ones."""
    with MockLabelbox() as original:
        original.start_recording()
        original.seed({"datasets": [{"name": "d"}]})
        fake = FakeTime()
        client = lb.Client(api_key=original.api_key, poller=lb.Poller(fake.clock, fake.sleep))
        dataset = next(iter(client.get_datasets()))
        task = dataset.create_data_rows([{"row_data": f"https://e.example/{i}.jpg", "global_key": f"k{i}"}
                                         for i in range(3)])
        task.wait_till_done()
        assert task.status == "COMPLETE"
        recording = original.recording()
    with MockLabelbox() as fresh:
        summary = fresh.replay(recording)
        assert summary["failed"] == 0
        replayed = lb.Client(api_key=fresh.api_key, poller=lb.Poller(fake.clock, fake.sleep))
        assert [replayed.get_data_row_by_global_key(f"k{i}").row_data for i in range(3)] == [
            f"https://e.example/{i}.jpg" for i in range(3)]
