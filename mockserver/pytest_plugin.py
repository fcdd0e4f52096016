"""The pytest plugin: installed with the package, registered through the `pytest11` entry point.

Fixtures:
- `labelbox_mock`: a fresh in-process MockLabelbox per test, intercepting the default endpoints.
- `labelbox_client`: a labelbox_lite.Client bound to it (experimental features on).

Seed from a file with the marker `@pytest.mark.labelbox_seed("path/to/seed.json")` (relative
paths are taken from the test file's folder); the ids created are on `labelbox_mock.seeded`.
Nothing is shared between tests or between pytest-xdist workers: each test builds its own mock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .transports.inprocess import MockLabelbox

if TYPE_CHECKING:
    import labelbox_lite

SEED_MARKER = "labelbox_seed"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{SEED_MARKER}(path): seed the labelbox_mock fixture from a JSON seed file before the test"
    )


def _seed_path(request: pytest.FixtureRequest, marker: pytest.Mark) -> Path:
    if len(marker.args) != 1:
        raise pytest.UsageError(f"@pytest.mark.{SEED_MARKER} takes one argument, the seed file's path")
    path = Path(marker.args[0])
    return path if path.is_absolute() else Path(request.node.path).parent / path


@pytest.fixture
def labelbox_mock(request: pytest.FixtureRequest) -> Iterator[MockLabelbox]:
    """A fresh offline Labelbox for this test; steer it with seed(), set_transition(), inject_fault()."""
    with MockLabelbox() as mock:
        for marker in request.node.iter_markers(SEED_MARKER):
            path = _seed_path(request, marker)
            with path.open(encoding="utf-8") as handle:
                mock.seeded.update(mock.seed(json.load(handle)))
        yield mock


@pytest.fixture
def labelbox_client(labelbox_mock: MockLabelbox) -> labelbox_lite.Client:
    """A labelbox_lite Client that talks to `labelbox_mock`."""
    import labelbox_lite

    return labelbox_lite.Client(api_key=labelbox_mock.api_key, enable_experimental=True)
