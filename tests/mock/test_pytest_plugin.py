"""The pytest plugin, exercised the way a user meets it: in a test module of their own."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ..support import standard_seed

USER_TESTS = '''
import pytest
import labelbox_lite as lb


@pytest.mark.labelbox_seed("seed.json")
def test_seeded_mock_and_bound_client(labelbox_mock, labelbox_client):
    model_id = labelbox_mock.seeded["models"][0]
    model = labelbox_client.get_model(model_id)
    run = model.create_model_run("from the plugin")
    run.upsert_data_rows(global_keys=["gk-0", "gk-1"])
    assert len(list(run.model_run_data_rows())) == 2
    ops = [r.operation for r in labelbox_mock.requests]
    assert "createMEAModelRunDataRowRegistrationTaskPyApi" in ops


def test_every_test_gets_a_fresh_mock(labelbox_client):
    assert list(labelbox_client.get_models()) == []


def test_transitions_and_faults_are_reachable(labelbox_mock, labelbox_client):
    labelbox_mock.set_transition("*", outcome="FAILED", error="nope")
    labelbox_mock.inject_fault("GetUserPyApi", status=400)
    with pytest.raises(lb.exceptions.LabelboxError):
        labelbox_client.get_user()
'''


def _plugin_args(request: pytest.FixtureRequest) -> list[str]:
    # installed packages register the plugin through its entry point; a source checkout names it
    loaded = request.config.pluginmanager.has_plugin("labelbox_mock")
    return [] if loaded else ["-p", "mockserver.pytest_plugin"]


def test_user_module_gets_fixtures_seed_marker_and_journal(pytester: pytest.Pytester,
                                                           request: pytest.FixtureRequest) -> None:
    pytester.makefile(".json", seed=json.dumps(standard_seed(3)))
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_inprocess(*_plugin_args(request), "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_plugin_page_example_passes_as_a_user_module(pytester: pytest.Pytester,
                                                         request: pytest.FixtureRequest) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "plugin.md").read_text()
    (seed,) = re.findall(r"```json\n(.*?)```", page, re.S)
    examples = re.findall(r"```python\n(.*?)```", page, re.S)
    pytester.makefile(".json", seed=seed)
    pytester.makepyfile(test_from_docs="\n\n".join(examples))
    result = pytester.runpytest_inprocess(*_plugin_args(request), "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_a_marker_without_a_path_is_a_usage_error(pytester: pytest.Pytester, request: pytest.FixtureRequest) -> None:
    pytester.makepyfile(test_bad='''
import pytest

@pytest.mark.labelbox_seed()
def test_x(labelbox_mock):
    pass
''')
    result = pytester.runpytest_inprocess(*_plugin_args(request), "-q", "-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*labelbox_seed takes one argument*"])


XDIST_TESTS = '''
import os

import pytest


@pytest.mark.parametrize("n", range(6))
def test_each_worker_test_starts_empty_and_leaves_its_own_state(labelbox_mock, labelbox_client, n):
    assert list(labelbox_client.get_models()) == []
    assert labelbox_mock.requests[-1].operation == "GetModelsPyApi" and len(labelbox_mock.requests) == 1
    labelbox_mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "point", "name": "p"}]}],
                        "models": [{"name": f"{os.environ['PYTEST_XDIST_WORKER']}-{n}", "ontology": "o"}]})
    assert [m.name for m in labelbox_client.get_models()] == [f"{os.environ['PYTEST_XDIST_WORKER']}-{n}"]
'''


@pytest.mark.slow  # starts two worker interpreters
def test_fixtures_are_private_to_each_xdist_worker(pytester: pytest.Pytester, request: pytest.FixtureRequest,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("xdist")
    # the workers are fresh interpreters; from a source checkout they find the packages through PYTHONPATH
    root = str(Path(__file__).resolve().parents[2])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    pytester.makepyfile(test_workers=XDIST_TESTS)
    result = pytester.runpytest_subprocess(*_plugin_args(request), "-q", "-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=6)
    result.stdout.fnmatch_lines(["bringing up nodes*"])  # and each test read PYTEST_XDIST_WORKER
