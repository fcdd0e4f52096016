"""The examples the README points at run in the suite, so they cannot rot."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_quickstart_runs_and_reports_the_workflow(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "model run holds 6 data rows" in out
    assert "frame-5  TEST" in out
    assert "after deleting one row the run holds 5" in out


def test_readme_python_blocks_run_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (EXAMPLES.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2 and "## Quickstart" in readme.split(blocks[0], 1)[0]
    namespace: dict[str, object] = {}
    for block in blocks:  # later blocks use what the quickstart made, as a reader would
        exec(compile(block, "README.md", "exec"), namespace)
    assert "('one', <DataSplit.TRAINING: 'TRAINING'>)" in capsys.readouterr().out
