"""The model and model-run lifecycle through labelbox_lite, against the in-process mock."""

from __future__ import annotations

from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import World


def test_create_model_and_runs(client: lb.Client, world: World) -> None:
    model = client.create_model("segmenter", world.ontology_id)
    assert client.get_model(model.uid) == model
    first = model.create_model_run("first")
    second = model.create_model_run("second", {"epochs": 3})
    assert {run.uid for run in model.model_runs()} == {first.uid, second.uid}
    assert client.get_model_run(second.uid).training_metadata == {"epochs": 3}
    assert first.training_metadata is None


def test_creation_camel_cases_top_level_snake_keys(client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("r", {"batch_size": 8, "nested": {"keep_me": 1}})
    assert run.training_metadata == {"batchSize": 8, "nested": {"keep_me": 1}}


def test_update_merges_and_reset_clears(client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("r", {"a": 1})
    assert run.update_config({"b": 2}) == {"trainingMetadata": {"a": 1, "b": 2}}
    assert run.get_config() == {"a": 1, "b": 2}
    assert run.reset_config() == {"trainingMetadata": None}
    assert run.get_config() is None


def test_deleting_a_model_deletes_its_runs(client: lb.Client, world: World) -> None:
    model = client.get_model(world.model_id)
    run = model.create_model_run("doomed")
    model.delete()
    with pytest.raises(ResourceNotFoundError, match=model.uid):
        client.get_model(model.uid)
    with pytest.raises(ResourceNotFoundError, match=run.uid):
        client.get_model_run(run.uid)
    assert list(client.get_models()) == []


def test_unknown_ontology_is_refused_and_nothing_is_created(client: lb.Client, world: World) -> None:
    with pytest.raises(ResourceNotFoundError, match="no-such-ontology"):
        client.create_model("m", "no-such-ontology")
    assert [m.uid for m in client.get_models()] == [world.model_id]


@pytest.mark.parametrize("config", [[1, 2], "text", {"bad": {1, 2}}, {"nan": float("nan")}])
def test_config_that_is_not_a_json_object_is_refused_before_sending(client: lb.Client, world: World,
                                                                      mock: MockLabelbox, config: Any) -> None:
    run = client.get_model(world.model_id).create_model_run("r", {"a": 1})
    sent = len(mock.requests)
    with pytest.raises(ValueError, match="config"):
        run.update_config(config)
    assert len(mock.requests) == sent
    assert run.get_config() == {"a": 1}
