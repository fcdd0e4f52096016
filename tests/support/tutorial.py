"""Runs tests/support/sdk_tutorial_script.py, a script written for the SDK, with either client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).with_name("sdk_tutorial_script.py")
_IMPORT = re.compile(r"^(import|from) labelbox\b", re.M)


def source(package: str) -> str:
    """The script's text for `package`: for labelbox_lite, its import lines name labelbox_lite, nothing else changes."""
    text = SCRIPT.read_text(encoding="utf-8")
    return text if package == "labelbox" else _IMPORT.sub(rf"\1 {package}", text)


def run(package: str, api_key: str, endpoints: dict[str, str] | None = None) -> dict[str, Any]:
    """What the script saw (`SEEN`), run with `package` against the mock that `api_key` opens."""
    namespace: dict[str, Any] = {"API_KEY": api_key, "ENDPOINTS": endpoints or {}, "__name__": "tutorial"}
    exec(compile(source(package), str(SCRIPT), "exec"), namespace)
    seen: dict[str, Any] = namespace["SEEN"]
    return seen
