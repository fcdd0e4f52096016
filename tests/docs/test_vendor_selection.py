"""The SDK test selection of `tox -e vendor`: files and deselections that the runner can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.vendor.__main__ import selection


def test_every_deselection_names_a_listed_file_and_says_why() -> None:
    files, deselected = selection()
    paths = {target.split("::", 1)[0] for target in files}
    assert files and len(files) == len(set(files))
    for node, reason in deselected.items():
        assert node.split("::", 1)[0] in paths, f"{node} deselects from a file the run does not list"
        assert "::" in node, f"{node}: deselect single tests by node id, never a whole file"
        assert reason


def test_a_deselection_without_a_reason_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.vendor import __main__ as runner

    (tmp_path / "files.txt").write_text("tests/integration/test_batch.py\n")
    (tmp_path / "deselected.txt").write_text("tests/integration/test_batch.py::test_x\n")
    monkeypatch.setattr(runner, "HERE", tmp_path)
    with pytest.raises(SystemExit, match="has no reason"):
        runner.selection()
