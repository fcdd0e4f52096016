"""Seeding: a seed is checked whole, every problem named by path, and a bad seed changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import labelbox_lite as lb
from mockserver import MockLabelbox, MockServerClient, RunningServer
from mockserver.state.seed import SeedError

from ..support import standard_seed


def test_seed_returns_ids_mirroring_the_document(mock: MockLabelbox) -> None:
    created = mock.seed(standard_seed(4))
    assert set(created) == {"ontologies", "datasets", "projects", "models", "model_slices"}
    assert set(created["ontologies"][0]["features"]) == {
        "box", "area", "dot", "edge", "mask", "entity", "quality", "tags", "note"}
    assert len(created["datasets"][0]["data_rows"]) == 4
    assert len(created["projects"][0]["labels"]) == 2
    assert len(created["models"]) == 1


def test_explicit_ids_are_kept_and_references_go_by_id_or_name(mock: MockLabelbox) -> None:
    doc = {
        "ontologies": [{"id": "ont-1", "name": "o", "tools": [{"tool": "point", "name": "p", "feature_schema_id": "f-1"}],
                        "classifications": [{"type": "radio", "name": "q", "feature_schema_id": "f-2",
                                             "options": [{"value": "yes", "feature_schema_id": "o-1"}, "no"]}]}],
        "datasets": [{"id": "ds-1", "name": "d", "data_rows": [{"id": "dr-1", "row_data": "x", "global_key": "k"}]}],
        "projects": [{"id": "pr-1", "name": "p", "ontology": "o", "labels": [{"id": "lb-1", "data_row": "k"}]}],
        "models": [{"id": "m-1", "name": "m", "ontology": "ont-1"}],
    }
    created = mock.seed(doc)
    (ontology,) = created["ontologies"]
    assert (ontology["id"], ontology["features"]) == ("ont-1", {"p": "f-1", "q": "f-2"})
    assert ontology["options"]["q"]["yes"] == "o-1" and set(ontology["options"]["q"]) == {"yes", "no"}
    assert created["projects"] == [{"id": "pr-1", "labels": ["lb-1"]}]
    org = mock.backend.store.organizations()[0]
    assert org.labels["lb-1"].data_row_id == "dr-1"
    assert org.models["m-1"].ontology_id == "ont-1"


BROKEN: list[tuple[str, Any, str]] = [
    ("projects[0].labels[2].data_row", lambda d: d["projects"][0]["labels"][2].update(data_row="missing"), "missing"),
    ("models[0].ontology", lambda d: d["models"][0].update(ontology="nope"), "nope"),
    ("ontologies[0].tools[0].tool", lambda d: d["ontologies"][0]["tools"][0].update(tool="lasso"), "lasso"),
    ("datasets[0].data_rows[1].global_key", lambda d: d["datasets"][0]["data_rows"][1].update(global_key="gk-0"), "gk-0"),
    ("datasets[0].data_rows[0].row_data", lambda d: d["datasets"][0]["data_rows"][0].pop("row_data"), "required"),
    ("projects[0].labels[0].annotations[0].name",
     lambda d: d["projects"][0]["labels"][0]["annotations"][0].update(name="ghost"), "ghost"),
    ("widgets", lambda d: d.update(widgets=[]), "unknown key"),
]


@pytest.mark.parametrize(("path", "breaker", "mention"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_malformed_seed_is_refused_whole_naming_the_path(mock: MockLabelbox, path: str, breaker: Any,
                                                            mention: str) -> None:
    doc = copy.deepcopy(standard_seed(6))
    breaker(doc)
    before = mock.state()
    with pytest.raises(SeedError) as raised:
        mock.seed(doc)
    assert path in str(raised.value) and mention in str(raised.value)
    assert mock.state() == before


def test_every_problem_is_reported_at_once(mock: MockLabelbox) -> None:
    doc = standard_seed(3)
    doc["models"][0]["ontology"] = "nope"
    doc["projects"][0]["labels"][0]["data_row"] = "missing"
    with pytest.raises(SeedError) as raised:
        mock.seed(doc)
    assert {path for path, _ in raised.value.problems} == {"models[0].ontology", "projects[0].labels[0].data_row"}


def test_seed_over_http_and_check_seed_cli(server: RunningServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    remote = MockServerClient(server.url, "test-key")
    assert remote.seed(standard_seed(2))["models"]
    with pytest.raises(SeedError) as bad:  # as in-process: every problem, by path
        remote.seed({"models": [{"name": "m", "ontology": "x"}]})
    assert [path for path, _ in bad.value.problems] == ["models[0].ontology"]

    good_file, bad_file = tmp_path / "good.json", tmp_path / "bad.json"
    good_file.write_text(json.dumps(standard_seed(2)))
    bad_file.write_text(json.dumps({"models": [{"name": "m"}], "datasets": "no"}))
    assert main(["check-seed", str(good_file)]) == 0
    assert main(["check-seed", str(bad_file)]) == 1
    err = capsys.readouterr().err
    assert "models[0].ontology" in err and "datasets" in err


def test_reset_empties_state_but_keeps_keys(mock: MockLabelbox, client: lb.Client) -> None:
    mock.seed(standard_seed(2))
    assert list(client.get_models())
    mock.reset()
    assert list(client.get_models()) == []
    assert client.get_user().email
