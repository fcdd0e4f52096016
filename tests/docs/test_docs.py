"""Every Python block in docs/ runs, so the documentation cannot drift from the code.

Each page runs as a user runs it: a script in a directory outside the checkout, in an isolated
interpreter (-I: no current directory or PYTHONPATH on sys.path), so it sees only the installed
package, and with every warning an error.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
# A page's blocks run in order in one namespace: later examples build on earlier ones.
PAGES = {
    page.stem: [
        block for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
        # the plugin page's examples are a test module: test_pytest_plugin runs them
        if "@pytest.mark.labelbox_" not in block
    ]
    for page in sorted(DOCS.glob("*.md"))
}


def test_docs_have_examples() -> None:
    assert sum(len(blocks) for blocks in PAGES.values()) >= 6


@pytest.mark.parametrize("page", sorted(name for name, blocks in PAGES.items() if blocks))
def test_doc_examples_run(page: str, tmp_path: Path) -> None:
    script = tmp_path / f"{page}.py"
    script.write_text("\n\n".join(textwrap.dedent(block) for block in PAGES[page]), encoding="utf-8")
    completed = subprocess.run([sys.executable, "-I", "-W", "error", script.name], cwd=tmp_path,
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, f"docs/{page}.md failed outside the checkout:\n{completed.stderr[-3000:]}"
    assert "Warning" not in completed.stderr, completed.stderr[-3000:]


def test_every_cli_command_answers_help(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    for command in ([], ["serve"], ["check-seed"], ["schema"], ["replay"]):
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "usage: labelbox-mock" in capsys.readouterr().out
