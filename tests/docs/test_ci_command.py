"""CI runs the README's test command, and only that: the two must stay one command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("Run the whole test suite", 1)[1]
    command = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert command is not None
    script = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert script[-1] == command.group(1).strip()
    assert "browser" in command.group(1)  # the dashboard's browser tests are part of it
