"""`mea_imports="deprecated"`: MEA prediction imports answered as Labelbox's service answers them today."""

from __future__ import annotations

import uuid

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import LabelboxError
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend
from mockserver.cli import _prepare, build_parser
from mockserver.state.policies import MEA_IMPORT_DEPRECATED

from ..support import standard_seed, world_from

EXACT = "9 FAILED_PRECONDITION: MEA prediction import has been deprecated"


def _box(key: str) -> dict[str, object]:
    return {"uuid": str(uuid.uuid4()), "name": "box", "dataRow": {"globalKey": key},
            "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}


def _refused(mock: MockLabelbox, predictions: str | list[dict[str, object]]) -> LabelboxError:
    world = world_from(mock.seed(standard_seed(3)), 3)
    client = lb.Client(api_key=mock.api_key)
    run = client.get_model(world.model_id).create_model_run("r")
    run.upsert_data_rows(global_keys=world.global_keys)
    with pytest.raises(LabelboxError) as raised:
        run.add_predictions("p", predictions)
    org = mock.backend.store.organizations()[0]
    assert not org.annotation_imports and not any(t.kind == "prediction-import" for t in org.tasks.values())
    # everything else still works: the run, its rows, sending to annotate
    assert len(list(run.model_run_data_rows())) == 3
    return raised.value


def test_the_message_is_the_services_exactly() -> None:
    assert MEA_IMPORT_DEPRECATED == EXACT


@given(keys=st.lists(st.sampled_from(["gk-0", "gk-1", "gk-2"]), min_size=1, max_size=3))
def test_every_mea_import_is_refused_with_the_services_error(keys: list[str]) -> None:
    with MockLabelbox(mea_imports="deprecated") as mock:
        error = _refused(mock, [_box(key) for key in keys])
    assert str(error) == EXACT and type(error) is LabelboxError  # no HTTP status: clients read it as a 500


def test_imports_by_url_are_refused_too_and_the_answer_is_the_wire_shape() -> None:
    with MockLabelbox(mea_imports="deprecated") as mock:
        _refused(mock, "https://storage.example.com/predictions.ndjson")
        answer = requests.post("https://api.labelbox.com/graphql", headers={"Authorization": f"Bearer {mock.api_key}"},
                               json={"query": "mutation M($d: CreateModelErrorAnalysisPredictionImportInput!)"
                                              "{createModelErrorAnalysisPredictionImport(data: $d){id}}",
                                     "variables": {"d": {"modelRunId": "x", "name": "n", "fileUrl": "https://a/b"}}},
                               timeout=10)
    (error,) = answer.json()["errors"]
    assert error["message"] == EXACT and error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}


def test_the_default_accepts_imports_as_documented() -> None:
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(1)), 1)
        run = lb.Client(api_key=mock.api_key).get_model(world.model_id).create_model_run("r")
        run.upsert_data_rows(global_keys=["gk-0"])
        imported = run.add_predictions("p", [_box("gk-0")])
        imported.wait_till_done()
        assert imported.state is lb.AnnotationImportState.FINISHED


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mea_imports"):
        Backend(mea_imports="sometimes")


def test_the_standalone_server_and_its_cli_flag() -> None:
    args = build_parser().parse_args(["serve", "--mea-imports", "deprecated"])
    backend = _prepare(args)
    assert backend is not None and backend.store.policies.mea_imports == "deprecated"
    assert build_parser().parse_args(["serve"]).mea_imports == "accepted"
    with RunningServer(backend) as server:
        world = world_from(backend.seed(standard_seed(1)), 1)
        client = lb.Client(api_key="test-key", endpoint=server.url + "/graphql")
        run = client.get_model(world.model_id).create_model_run("r")
        with pytest.raises(LabelboxError, match="^9 FAILED_PRECONDITION"):
            run.add_predictions("p", [_box("gk-0")])
