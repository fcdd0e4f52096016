"""labelbox 4.0.0, the last SDK with ModelRun.export_labels, against the mock.

Runs only when the `labelbox` installed is 4.x: `tox -e contract4` (in the README's test command)
installs 4.0.0 and runs this file; the `contract` env pins 7.17.0 and skips it.

4.0.0's get_stream decodes each chunk on its own, so it needs chunks cut on
line boundaries: the mock's default.
"""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING

import pytest

from ..support.exports import RowSpec, build_run
from .conftest import SdkTarget, labelbox

if TYPE_CHECKING:
    from mockserver.engines.tasks import Transition

pytestmark = pytest.mark.skipif(not labelbox.__version__.startswith("4."), reason="export_labels is in labelbox 4.x")

ROWS = [
    RowSpec(global_key="gk-0", labels=2, split="TRAINING"),
    RowSpec(global_key="gk-1", labels=1),
    RowSpec(global_key="gk-2"),
]


def test_export_labels_answers_a_url_then_the_rows(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, ROWS)
    run = sdk.client.get_model_run(built.run_id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 4.0.0 warns that exports v1 are going away
        url = run.export_labels()
        rows = run.export_labels(download=True)
    assert isinstance(url, str) and "/_files/" in url
    assert sorted(row["ID"] for row in rows) == sorted(label for labels in built.label_ids for label in labels)
    by_id = {row["ID"]: row for row in rows}
    first = by_id[built.label_ids[0][0]]
    assert (first["DataRow ID"], first["Global Key"], first["Data Split"]) == (built.data_row_ids[0], "gk-0", "training")
    assert first["Label"]["objects"][0]["title"] == "box"


def test_export_labels_answers_none_when_the_export_outlives_the_wait(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, ROWS)
    sdk.backend.tasks.set_transition("export", _reads(1000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert sdk.client.get_model_run(built.run_id).export_labels(timeout_seconds=1) is None


def test_export_labels_is_experimental(sdk: SdkTarget) -> None:
    built = build_run(sdk.backend, ROWS)
    kwargs = {"api_key": "test-key"}
    if sdk.client.endpoint != "https://api.labelbox.com/graphql":
        kwargs["endpoint"] = sdk.client.endpoint
    with pytest.raises(RuntimeError, match="enable_experimental"):
        labelbox.Client(**kwargs).get_model_run(built.run_id).export_labels()


def test_get_stream_reads_line_aligned_chunks(sdk: SdkTarget) -> None:
    from mockserver.engines.export import Chunking

    built = build_run(sdk.backend, ROWS)
    sdk.backend.exports.set_chunking(Chunking(50, align_to_lines=True))
    task = sdk.client.get_model_run(built.run_id).export()
    task.wait_till_done()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # get_stream is deprecated in 4.0.0
        outputs = list(task.get_stream())
        from_line = list(task.get_stream().with_line(1))
    assert [json.loads(o.json_str)["data_row"]["id"] for o in outputs] == built.data_row_ids
    assert [json.loads(o.json_str)["data_row"]["id"] for o in from_line] == built.data_row_ids[1:]


def _reads(times: int) -> Transition:
    from mockserver.engines.tasks import Transition

    return Transition(progression="reads", times=times)
