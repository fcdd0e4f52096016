"""What `labelbox-mock` prints: JSON alone where JSON is asked for, each problem once, the ids it seeded."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver import MockLabelbox
from mockserver.cli import _prepare, build_parser, main

from ..support import standard_seed


def _recording(tmp_path: Path) -> Path:
    with MockLabelbox() as mock:
        mock.start_recording(id_seed=3)
        mock.seed(standard_seed(2))
        mock.stop_recording()
        path = tmp_path / "recording.json"
        path.write_text(json.dumps(mock.recording()))
    return path


def test_replay_dump_writes_json_alone_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _recording(tmp_path)
    assert main(["replay", str(path), "--dump"]) == 0
    captured = capsys.readouterr()
    state = json.loads(captured.out)  # parses: nothing else is on stdout
    assert len(state["organizations"][0]["models"]) == 1
    assert "replayed" in captured.err and "1 models" in captured.err
    assert main(["replay", str(path)]) == 0  # without --dump the summary stays on stdout
    assert "1 models" in capsys.readouterr().out


@given(models=st.integers(1, 3), projects=st.integers(0, 2))
def test_check_seed_reports_each_problem_once(tmp_path_factory: pytest.TempPathFactory, models: int,
                                              projects: int) -> None:
    doc = {"models": [{"name": f"m{i}", "ontology": "missing"} for i in range(models)],
           "projects": [{"name": f"p{i}", "ontology": "missing", "labels": [{"data_row": "nowhere", "annotations": []}]}
                        for i in range(projects)]}
    path = tmp_path_factory.mktemp("seed") / "seed.json"
    path.write_text(json.dumps(doc))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["check-seed", str(path)]) == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == len(set(lines))
    places = [line.split(": ")[1] for line in lines]
    assert len(places) == len(set(places)) == models + 2 * projects  # an ontology and a data row per project


def test_serve_prints_the_ids_it_seeded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(standard_seed(2)))
    backend = _prepare(build_parser().parse_args(["serve", "--seed", str(seed)]))
    assert backend is not None
    line = capsys.readouterr().out.strip()
    prefix = f"seeded {seed}: "
    assert line.startswith(prefix)
    created = json.loads(line[len(prefix):])
    assert created["models"] == [m.id for m in backend.store.organizations()[0].models.values()]
    seed.write_text("{not json")
    assert _prepare(build_parser().parse_args(["serve", "--seed", str(seed)])) is None
    assert "cannot load seed" in capsys.readouterr().err
