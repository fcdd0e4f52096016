"""A script written for the SDK runs with `labelbox_lite` by changing `labelbox` to `labelbox_lite`
in its imports, and behaves as with the SDK, raising where labelbox_lite's waits raise on failure."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from mockserver import MockLabelbox

from .conftest import labelbox

# the script imports the SDK's annotation types, which need its data extra (tox -e bench installs labelbox without)
pytest.importorskip("numpy")

SCRIPT = '''
import labelbox as lb
from labelbox.schema.annotation_import import AnnotationImportState
from labelbox.schema.model_run import DataSplit
from labelbox.data.annotation_types import Label, ObjectAnnotation, Point, Rectangle

client = lb.Client(api_key=API_KEY, enable_experimental=True)
(model,) = list(client.get_models(where=lb.Model.name == "detector"))
run = model.create_model_run("nightly")
run.upsert_data_rows(global_keys=KEYS)
run.assign_data_rows_to_split(global_keys=KEYS[:2], split=DataSplit.TRAINING)
splits = sorted(str(row.data_split.value) for row in run.model_run_data_rows())

labels = [Label(data={"global_key": "k0"}, annotations=[
    ObjectAnnotation(name="box", value=Rectangle(start=Point(x=1, y=1), end=Point(x=5, y=5)))])]
job = run.add_predictions("predictions", labels)
try:
    job.wait_until_done()
    failure = None
except Exception as error:  # labelbox_lite raises where the SDK returns; the state says FAILED in both
    failure = str(error)
failed = job.state == AnnotationImportState.FAILED
'''


def _run(module: str, mock: MockLabelbox) -> dict[str, Any]:
    namespace: dict[str, Any] = {"API_KEY": mock.api_key, "KEYS": ["k0", "k1", "k2"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(SCRIPT.replace("labelbox", module), f"<script on {module}>", "exec"), namespace)
    assert any(issubclass(w.category, DeprecationWarning) and "wait_till_done" in str(w.message) for w in caught)
    return namespace


def _mock() -> MockLabelbox:
    mock = MockLabelbox().start()
    mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
               "models": [{"name": "detector", "ontology": "o"}, {"name": "other", "ontology": "o"}],
               "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{k}", "global_key": k}
                                                        for k in ("k0", "k1", "k2")]}]})
    mock.set_transition("prediction-import", outcome="FAILED", error="quota exceeded")
    return mock


def test_the_same_script_runs_on_both_clients() -> None:
    results = {}
    for module in ("labelbox", "labelbox_lite"):
        mock = _mock()
        try:
            results[module] = _run(module, mock)
        finally:
            mock.stop()
    sdk, lite = results["labelbox"], results["labelbox_lite"]
    assert sdk["splits"] == lite["splits"] == ["TRAINING", "TRAINING", "UNASSIGNED"]
    assert sdk["failed"] and lite["failed"]
    assert sdk["failure"] is None and "quota exceeded" in lite["failure"]
    assert labelbox.__version__ == "7.17.0"
