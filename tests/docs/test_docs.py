"""Every Python block in docs/ runs, so the documentation cannot drift from the code."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
# A page's blocks run in order in one namespace: later examples build on earlier ones.
PAGES = {
    page.stem: [
        block for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
        if "labelbox_seed" not in block  # the plugin page's example is a test module: test_pytest_plugin runs it
    ]
    for page in sorted(DOCS.glob("*.md"))
}


def test_docs_have_examples() -> None:
    assert sum(len(blocks) for blocks in PAGES.values()) >= 6


@pytest.mark.parametrize("page", sorted(name for name, blocks in PAGES.items() if blocks))
def test_doc_examples_run(page: str) -> None:
    namespace = {"__name__": "docs_example"}
    for block in PAGES[page]:
        exec(compile(textwrap.dedent(block), f"docs/{page}.md", "exec"), namespace)


def test_every_cli_command_answers_help(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    for command in ([], ["serve"], ["check-seed"], ["schema"], ["replay"]):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "usage: labelbox-mock" in capsys.readouterr().out
