"""The real SDK through the model and model-run lifecycle."""

from __future__ import annotations

import pytest

from ..support import World
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")


def test_models_and_runs(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    model = client.create_model("segmenter", sdk_world.ontology_id)
    assert client.get_model(model.uid).name == "segmenter"
    with_config = model.create_model_run("with", {"learning_rate": 0.1})
    without = model.create_model_run("without")
    assert with_config.training_metadata == {"learningRate": 0.1}
    assert without.training_metadata is None
    assert {r.uid for r in model.model_runs()} == {with_config.uid, without.uid}
    assert {m.name for m in client.get_models()} == {"detector", "segmenter"}
    fetched = client.get_model_run(with_config.uid)
    assert fetched.model_id == model.uid and fetched.created_by_id == client.get_user().uid


def test_config_round_trip(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("r")
    assert run.update_config({"b": 2}) == {"trainingMetadata": {"b": 2}}
    assert run.get_config() == {"b": 2}
    assert run.reset_config() == {"trainingMetadata": None}
    assert run.get_config() is None


def test_delete_runs_and_models(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    model = client.get_model(sdk_world.model_id)
    run = model.create_model_run("doomed")
    run.delete()
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_model_run(run.uid)
    model.delete()
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        client.get_model(model.uid)


def test_bad_api_key(sdk: SdkTarget) -> None:
    kwargs = {"api_key": "wrong"}
    if sdk.client.endpoint != "https://api.labelbox.com/graphql":
        kwargs["endpoint"] = sdk.client.endpoint
    with pytest.raises(lbox_exceptions.AuthenticationError):
        labelbox.Client(**kwargs).get_user()
