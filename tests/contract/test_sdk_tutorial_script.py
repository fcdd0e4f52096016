"""The SDK tutorial script (tests/support/sdk_tutorial_script.py), unchanged, with the real SDK against a
standalone mock: it sees what labelbox_lite's run of the same script sees in-process."""

from __future__ import annotations

import threading
import time

import pytest

from mockserver import RunningServer
from mockserver.backend import Backend

from ..client.test_sdk_tutorial_script import EXPECTED_SEEN
from ..support.tutorial import run

pytest.importorskip("numpy")  # the script uses labelbox.types, which needs the SDK's data extra


def test_the_sdk_runs_the_script_as_labelbox_lite_does(monkeypatch: pytest.MonkeyPatch) -> None:
    with RunningServer(Backend()) as server:
        endpoints = {"endpoint": server.graphql_url, "rest_endpoint": server.graphql_url.replace("/graphql", "/api/v1")}
        with monkeypatch.context() as patched:  # every wait of the script finds its task done: no real sleep
            patched.setattr(time, "sleep", _no_sleep)
            seen = run("labelbox", "test-key", endpoints)
    assert seen.pop("upsert errors") is None
    assert seen == EXPECTED_SEEN


_real_sleep = time.sleep


def _no_sleep(seconds: float) -> None:
    """The script (the test's thread) never sleeps; the standalone server's own threads may."""
    if threading.current_thread() is threading.main_thread():
        raise AssertionError(f"the script slept {seconds}s in real time")
    _real_sleep(seconds)
