"""The pytest plugin: installed with the package, registered through the `pytest11` entry point.

Fixtures:
- `labelbox_mock`: a fresh in-process MockLabelbox per test, intercepting the default endpoints.
- `labelbox_client`: a labelbox_lite.Client bound to it (experimental features on), whose waits
  run on the mock's clock: each poll interval moves the clock forward instead of sleeping.
- `labelbox_poller`: that virtual-time Poller, for clients a test builds itself.

Markers:
- `@pytest.mark.labelbox_seed("path/to/seed.json")` seeds the mock from a file (relative paths are
  taken from the test file's folder); the ids created are on `labelbox_mock.seeded`.
- `@pytest.mark.labelbox_real_time` makes the fixtures' waits sleep for real, as the SDK does.

Nothing is shared between tests or between pytest-xdist workers: each test builds its own mock.
This module is loaded into every pytest session of a project that has labelbox-lite installed,
so it imports nothing of the mock (graphql-core, the interceptor) until a fixture is used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import labelbox_lite

    from .transports.inprocess import MockLabelbox

SEED_MARKER = "labelbox_seed"
REAL_TIME_MARKER = "labelbox_real_time"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{SEED_MARKER}(path): seed the labelbox_mock fixture from a JSON seed file before the test"
    )
    config.addinivalue_line(
        "markers", f"{REAL_TIME_MARKER}: the labelbox fixtures' waits sleep in real time instead of moving "
        "the mock's clock"
    )


def _seed_path(request: pytest.FixtureRequest, marker: pytest.Mark) -> Path:
    if len(marker.args) != 1:
        raise pytest.UsageError(f"@pytest.mark.{SEED_MARKER} takes one argument, the seed file's path")
    path = Path(marker.args[0])
    return path if path.is_absolute() else Path(request.node.path).parent / path


@pytest.fixture
def labelbox_mock(request: pytest.FixtureRequest) -> Iterator[MockLabelbox]:
    """A fresh offline Labelbox for this test; steer it with seed(), set_transition(), inject_fault()."""
    from .transports.inprocess import MockLabelbox

    with MockLabelbox() as mock:
        for marker in request.node.iter_markers(SEED_MARKER):
            path = _seed_path(request, marker)
            with path.open(encoding="utf-8") as handle:
                mock.seeded.update(mock.seed(json.load(handle)))
        yield mock


@pytest.fixture
def labelbox_poller(request: pytest.FixtureRequest, labelbox_mock: MockLabelbox) -> labelbox_lite.Poller:
    """The Poller the fixtures' clients wait with: on the mock's clock, unless the test is marked real-time."""
    import labelbox_lite

    if request.node.get_closest_marker(REAL_TIME_MARKER) is not None:
        return labelbox_lite.Poller()
    # a wait reads the mock's clock and, instead of sleeping, moves it on by the interval: time
    # transitions fire on schedule and `reads` transitions see their polls, all in no wall time
    return labelbox_lite.Poller(clock=labelbox_mock.backend.clock.now, sleep=labelbox_mock.advance_clock)


@pytest.fixture
def labelbox_client(labelbox_mock: MockLabelbox, labelbox_poller: labelbox_lite.Poller) -> labelbox_lite.Client:
    """A labelbox_lite Client that talks to `labelbox_mock` and waits on its clock."""
    import labelbox_lite

    return labelbox_lite.Client(api_key=labelbox_mock.api_key, enable_experimental=True, poller=labelbox_poller)
