"""Properties of the model and model-run lifecycle, checked against a plain model of the state."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import ONTOLOGY, World

# JSON values as they survive a round trip: finite floats, string keys.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
configs = st.dictionaries(st.text(max_size=12), json_values, max_size=6)


@given(config=configs)
def test_any_json_config_round_trips_through_update_and_get(client: lb.Client, world: World, config: dict[str, Any]) -> None:
    run = client.get_model(world.model_id).create_model_run("run")
    try:
        assert run.update_config(config) == {"trainingMetadata": config}
        assert run.get_config() == config
        assert client.get_model_run(run.uid).training_metadata == config
    finally:
        run.delete()


@given(first=configs, second=configs)
def test_updates_merge_top_level_keys(client: lb.Client, world: World, first: dict[str, Any],
                                      second: dict[str, Any]) -> None:
    run = client.get_model(world.model_id).create_model_run("run")
    try:
        run.update_config(first)
        run.update_config(second)
        assert run.get_config() == {**first, **second}
    finally:
        run.delete()


@given(unknown=st.text(min_size=1, max_size=30).filter(lambda s: s.strip()))
def test_unknown_ids_are_named_in_the_error(client: lb.Client, world: World, unknown: str) -> None:
    for lookup in (client.get_model, client.get_model_run, client.get_data_row, client.get_project):
        with pytest.raises(ResourceNotFoundError) as raised:
            lookup(unknown)
        assert repr(unknown) in str(raised.value)


class ModelLifecycle(RuleBasedStateMachine):
    """Random creates and deletes of models and runs; the client's view must match a dict model."""

    models = Bundle("models")
    runs = Bundle("runs")

    def __init__(self) -> None:
        super().__init__()
        self.mock = MockLabelbox().start()
        created = self.mock.seed({"ontologies": [ONTOLOGY]})
        self.ontology_id = created["ontologies"][0]["id"]
        self.client = lb.Client(api_key=self.mock.api_key)
        self.expected: dict[str, set[str]] = {}  # model id -> its run ids
        self.counter = 0

    def teardown(self) -> None:
        self.mock.stop()

    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    @rule(target=models)
    def create_model(self) -> str:
        model = self.client.create_model(self._name("model"), self.ontology_id)
        self.expected[model.uid] = set()
        return model.uid

    @rule(target=runs, model_id=models, config=st.none() | st.dictionaries(st.sampled_from("abc"), st.integers()))
    def create_run(self, model_id: str, config: dict[str, int] | None) -> str:
        if model_id not in self.expected:
            with pytest.raises(ResourceNotFoundError):
                self.client.get_model(model_id)
            return ""
        run = self.client.get_model(model_id).create_model_run(self._name("run"), config)
        assert run.training_metadata == config
        self.expected[model_id].add(run.uid)
        return run.uid

    @rule(run_id=consumes(runs))
    def delete_run(self, run_id: str) -> None:
        owner = next((m for m, runs in self.expected.items() if run_id in runs), None)
        if owner is None:
            return
        self.client.get_model_run(run_id).delete()
        self.expected[owner].discard(run_id)

    @rule(model_id=consumes(models))
    def delete_model(self, model_id: str) -> None:
        if model_id in self.expected:
            self.client.get_model(model_id).delete()
            del self.expected[model_id]

    @invariant()
    def client_sees_the_model(self) -> None:
        assert {m.uid for m in self.client.get_models()} == set(self.expected)
        for model_id, run_ids in self.expected.items():
            assert {r.uid for r in self.client.get_model(model_id).model_runs()} == run_ids


TestModelLifecycle = ModelLifecycle.TestCase
TestModelLifecycle.settings = settings(settings(), max_examples=max(10, settings().max_examples // 3),
                                       stateful_step_count=15)
