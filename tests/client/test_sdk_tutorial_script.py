"""A script written for the Labelbox SDK (tests/support/sdk_tutorial_script.py) runs with labelbox_lite
against the in-process mock, changed only in its import lines; tests/contract runs it with the SDK."""

from __future__ import annotations

import time

import pytest

from mockserver import MockLabelbox

from ..support.tutorial import run, source

EXPECTED_SEEN = {
    "likert": True,
    "ontology tools": ["area", "box"],
    "chat ontology": "chat evaluation",
    "first project": ("Project", "tutorial project"),
    "projects": ["tutorial project"],
    "batch size": 2,
    "ground truth": ["SUCCESS"] * 3,
    "pre-labels": ["SUCCESS"] * 3,
    "pre-labels by name": "tutorial pre-labels",
    "exported": ["tutorial-0", "tutorial-1"],
    "predictions": ["SUCCESS"] * 8,
    "tiled row data": "EPSG4326",
    "media labels": [4, 1, 2, 1],
    "metrics module": ["data", "metrics"],
}


def test_only_the_import_lines_change() -> None:
    ours, theirs = source("labelbox_lite").splitlines(), source("labelbox").splitlines()
    changed = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    assert changed and all(b.startswith(("import labelbox", "from labelbox")) for _, b in changed)


def test_the_sdk_tutorial_script_runs_with_labelbox_lite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "sleep", _no_sleep)  # every wait finds its task done: no real sleep
    with MockLabelbox() as mock:
        seen = run("labelbox_lite", mock.api_key)
    upsert_errors = seen.pop("upsert errors")
    assert not upsert_errors
    assert seen == EXPECTED_SEEN


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"the script slept {seconds}s in real time")
