"""The examples the README points at run in the suite, so they cannot rot."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_quickstart_runs_and_reports_the_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "model run holds 6 data rows" in out
    assert "frame-5  TEST" in out
    assert "after deleting one row the run holds 5" in out


def test_readme_quickstart_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text()
    snippet = readme.split("## Quickstart", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    exec(compile(snippet, "README.md", "exec"), {})
    assert "('one', <DataSplit.TRAINING: 'TRAINING'>)" in capsys.readouterr().out
