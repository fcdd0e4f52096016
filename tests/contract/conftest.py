"""The real Labelbox SDK (labelbox==7.17.0) against the mock, in-process and standalone.

These tests need the `contract` extra; without it they are skipped, and the
tox env `contract` (which CI runs) installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend

from ..support import FakeTime, World, standard_seed, world_from

labelbox = pytest.importorskip("labelbox")


class SdkTarget:
    """A real SDK client bound to one mock, with the means to steer that mock."""

    def __init__(self, backend: Backend, endpoint: str | None) -> None:
        self.backend = backend
        kwargs: dict[str, Any] = {"api_key": "test-key", "enable_experimental": True}
        if endpoint is not None:
            kwargs["endpoint"] = endpoint
            kwargs["rest_endpoint"] = endpoint.replace("/graphql", "/api/v1")
        self.client = labelbox.Client(**kwargs)

    def seed(self, doc: dict[str, Any]) -> dict[str, Any]:
        return self.backend.seed(doc)


@pytest.fixture(params=["in-process", "standalone"])
def sdk(request: pytest.FixtureRequest) -> Iterator[SdkTarget]:
    if request.param == "in-process":
        with MockLabelbox() as mock:
            yield SdkTarget(mock.backend, None)
    else:
        with RunningServer(Backend()) as server:
            yield SdkTarget(server.backend, server.graphql_url)


@pytest.fixture
def sdk_world(sdk: SdkTarget) -> World:
    return world_from(sdk.seed(standard_seed(10)), 10)


@pytest.fixture(autouse=True)
def _import_waits_on_fake_time(monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime) -> None:
    """Labelbox answers an import RUNNING at creation, so the SDK's AnnotationImport.wait_till_done
    (and `statuses`/`errors`, which wait) sleeps once before its first status read: 10 real seconds
    by default. Here that module's sleeps run on the fake clock."""
    from labelbox.schema import annotation_import

    monkeypatch.setattr(annotation_import, "time", SimpleNamespace(sleep=fake_time.sleep))


# The SDK's own notice that a task or lookup it ran has per-row errors; a test that expects those allows it.
ERRORS_PRESENT = "There are errors present"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sdk_reports_row_errors: the SDK may log that a result holds per-row errors")


@pytest.fixture(autouse=True)
def _no_sdk_warnings(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """The real SDK logs at WARNING when it meets something it does not expect; none is allowed.

    Reads the call phase's records: in teardown `caplog.records` holds only teardown's.
    """
    yield
    allowed = ERRORS_PRESENT if request.node.get_closest_marker("sdk_reports_row_errors") else None
    noisy = [r for r in caplog.get_records("call")
             if r.levelname in ("WARNING", "ERROR") and r.name.startswith(("labelbox", "lbox"))
             and not (allowed and r.getMessage().startswith(allowed))]
    assert not noisy, [r.getMessage() for r in noisy]
