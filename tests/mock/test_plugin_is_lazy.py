"""The plugin is loaded into every pytest session where labelbox-lite is installed: it must cost nothing there."""

from __future__ import annotations

import pytest

NO_FIXTURE = '''
import sys

def test_nothing_of_the_mock_is_loaded(request):
    assert request.config.pluginmanager.has_plugin("{plugin}")
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("graphql", "responses", "labelbox_lite")
                    or m.startswith("mockserver."))
    assert loaded == ["mockserver.pytest_plugin"], loaded
'''

WITH_FIXTURE = '''
import sys

def test_a_fixture_loads_the_mock(labelbox_client):
    assert "graphql" in sys.modules and "mockserver.transports.interceptor" in sys.modules
'''


def _plugin(request: pytest.FixtureRequest) -> tuple[str, list[str]]:
    # installed packages register the plugin through its entry point; a source checkout names it
    if request.config.pluginmanager.has_plugin("labelbox_mock"):
        return "labelbox_mock", []
    return "mockserver.pytest_plugin", ["-p", "mockserver.pytest_plugin"]


def test_a_session_that_uses_no_fixture_loads_no_graphql(pytester: pytest.Pytester,
                                                          request: pytest.FixtureRequest) -> None:
    name, args = _plugin(request)
    pytester.makepyfile(test_plain=NO_FIXTURE.format(plugin=name), test_fixture=WITH_FIXTURE)
    # a fresh interpreter: this one has the mock loaded already; without schemathesis' plugin, as the
    # suite's own sessions run (setup.cfg), since the temporary directory has no config to say so
    args = [*args, "-q", "-p", "no:cacheprovider", "-p", "no:schemathesis"]
    result = pytester.runpytest_subprocess(*args, "test_plain.py")
    result.assert_outcomes(passed=1)
    result = pytester.runpytest_subprocess(*args, "test_fixture.py")
    result.assert_outcomes(passed=1)
