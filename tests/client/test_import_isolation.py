"""Importing the client pulls in none of the mock: no graphql-core, no responses, no mockserver."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
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


def test_every_public_name_resolves_from_a_fresh_import() -> None:
    code = (
        "import json, sys\n"
        "import labelbox_lite as lb\n"
        "eager = sorted(m for m in sys.modules if m.startswith('labelbox_lite.'))\n"
        "resolved = {name: getattr(getattr(lb, name), '__module__', getattr(lb, name).__name__) for name in lb.__all__\n"
        "            if name != '__version__'}\n"
        "print(json.dumps({'eager': eager, 'resolved': resolved, 'dir': sorted(set(lb.__all__) - set(dir(lb)))}))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                               timeout=60)
    report = json.loads(completed.stdout)
    assert "labelbox_lite.annotation_import" not in report["eager"] and "labelbox_lite.types" not in report["eager"]
    assert report["dir"] == []
    import labelbox_lite as lb

    for name, module in report["resolved"].items():
        expected = lb._PUBLIC.get(name)
        if expected is not None:  # a name comes from the module the registry names
            assert module == f"labelbox_lite.{expected}", name
    assert report["resolved"]["ModelRun"] == "labelbox_lite.model_run"
    assert report["resolved"]["types"] == "labelbox_lite.types"
