"""The real SDK against a mock answering MEA prediction imports as Labelbox's service does today."""

from __future__ import annotations

import uuid

import pytest

from mockserver import MockLabelbox

from ..support import standard_seed, world_from
from .conftest import labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")


def test_the_sdk_meets_the_services_error_at_add_predictions() -> None:
    with MockLabelbox(mea_imports="deprecated") as mock:
        world = world_from(mock.seed(standard_seed(1)), 1)
        client = labelbox.Client(api_key=mock.api_key)
        run = client.get_model(world.model_id).create_model_run("r")
        run.upsert_data_rows(global_keys=["gk-0"])
        box = {"uuid": str(uuid.uuid4()), "name": "box", "dataRow": {"globalKey": "gk-0"},
               "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}
        with pytest.raises(lbox_exceptions.LabelboxError,
                           match="^9 FAILED_PRECONDITION: MEA prediction import has been deprecated$"):
            run.add_predictions("p", [box])
        assert len([r for r in mock.requests if r.operation and "Prediction" in r.operation]) == 1  # not retried
