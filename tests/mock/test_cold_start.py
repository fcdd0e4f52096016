"""What a fresh `MockLabelbox()` loads (issue 26, cold start): only what its first call can need.

Exports, prediction validation and GraphQL multipart uploads load with their first use; a test that
never exports pays nothing for snapshots, row documents, orjson or python-multipart.
"""

from __future__ import annotations

import json
import subprocess
import sys

LOADED = """
import json, sys
from mockserver import MockLabelbox
MockLabelbox()
print(json.dumps(sorted(sys.modules)))
"""

LATER = (
    "mockserver.engines.export_catalog", "mockserver.engines.export_rows", "mockserver.engines.export_snapshot",
    "mockserver.engines.ndjson_stream", "mockserver.engines.predictions", "mockserver.http.multipart",
    "orjson", "python_multipart", "zoneinfo", "responses", "uvicorn",
)


def test_a_new_mock_loads_nothing_its_first_call_does_not_need() -> None:
    child = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True, check=True, timeout=120)
    loaded = set(json.loads(child.stdout.strip().splitlines()[-1]))
    assert "mockserver.api.service" in loaded
    assert sorted(loaded.intersection(LATER)) == []

