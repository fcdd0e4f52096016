"""Every Python block in docs/ runs, so the documentation cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
BLOCKS = [
    pytest.param(block, id=f"{page.stem}-{index}")
    for page in sorted(DOCS.glob("*.md"))
    for index, block in enumerate(re.findall(r"```python\n(.*?)```", page.read_text(), re.S))
    if "labelbox_seed" not in block  # the plugin example is a test module; test_pytest_plugin runs one like it
]


def test_docs_have_examples() -> None:
    assert len(BLOCKS) >= 6


@pytest.mark.parametrize("block", BLOCKS)
def test_doc_example_runs(block: str) -> None:
    exec(compile(block, "docs", "exec"), {"__name__": "docs_example"})


def test_every_cli_command_answers_help(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    for command in ([], ["serve"], ["check-seed"], ["schema"], ["replay"]):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "usage: labelbox-mock" in capsys.readouterr().out
