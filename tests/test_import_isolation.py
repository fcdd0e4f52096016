"""Importing the client pulls in none of the mock: no graphql-core, no responses, no mockserver."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOCK_ONLY = ("graphql", "responses", "mockserver")


def test_importing_labelbox_lite_loads_nothing_of_the_mock() -> None:
    code = (
        "import json, sys\n"
        "import labelbox_lite\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {MOCK_ONLY!r})))\n"
    )
    # a fresh interpreter: this test process has imported the mock already
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                               timeout=60)
    assert json.loads(completed.stdout) == []
