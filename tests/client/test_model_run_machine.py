"""A stateful model of one model run: random upserts, label registrations, deletes and splits."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, TaskFailedError
from mockserver import MockLabelbox

from ..support import FakeTime, standard_seed, world_from

ROWS = 8
indices = st.lists(st.integers(0, ROWS - 1), min_size=1, max_size=4)
splits = st.sampled_from(["TRAINING", "TEST", "VALIDATION", "UNASSIGNED"])


class ModelRunMachine(RuleBasedStateMachine):
    """The plain model: data row id -> (label ids in order, split)."""

    @initialize()
    def setup(self) -> None:
        self.mock = MockLabelbox().start()
        self.world = world_from(self.mock.seed(standard_seed(ROWS)), ROWS)
        fake = FakeTime()
        self.client = lb.Client(api_key=self.mock.api_key, enable_experimental=True,
                                poller=lb.Poller(clock=fake.clock, sleep=fake.sleep))
        self.run = self.client.get_model(self.world.model_id).create_model_run("machine")
        self.model: dict[str, dict[str, Any]] = {}
        org = self.mock.backend.store.organizations()[0]
        self.label_row = {label_id: org.labels[label_id].data_row_id for label_id in self.world.label_ids}

    def teardown(self) -> None:
        if hasattr(self, "mock"):
            self.mock.stop()

    def _add(self, row_id: str) -> dict[str, Any]:
        return self.model.setdefault(row_id, {"labels": [], "split": "UNASSIGNED"})

    @rule(picks=indices, unknown=st.booleans())
    def upsert_by_id(self, picks: list[int], unknown: bool) -> None:
        ids = [self.world.data_row_ids[i] for i in picks] + (["ghost"] if unknown else [])
        if unknown:
            with pytest.raises(TaskFailedError, match="ghost"):
                self.run.upsert_data_rows(data_row_ids=ids)
            return
        self.run.upsert_data_rows(data_row_ids=ids)
        for row_id in ids:
            self._add(row_id)

    @rule(picks=indices)
    def upsert_by_global_key(self, picks: list[int]) -> None:
        self.run.upsert_data_rows(global_keys=[self.world.global_keys[i] for i in picks])
        for i in picks:
            self._add(self.world.data_row_ids[i])

    @rule(picks=st.lists(st.integers(0, ROWS // 2 - 1), min_size=1, max_size=3))
    def upsert_labels(self, picks: list[int]) -> None:
        label_ids = [self.world.label_ids[i] for i in picks]
        self.run.upsert_labels(label_ids=label_ids)
        self._register(label_ids)

    @rule()
    def upsert_project(self) -> None:
        self.run.upsert_labels(project_id=self.world.project_id)
        self._register(self.world.label_ids)

    def _register(self, label_ids: list[str]) -> None:
        for label_id in dict.fromkeys(label_ids):
            entry = self._add(self.label_row[label_id])
            if label_id not in entry["labels"]:
                entry["labels"].append(label_id)

    @rule(picks=indices)
    def delete(self, picks: list[int]) -> None:
        ids = list(dict.fromkeys(self.world.data_row_ids[i] for i in picks))
        if all(row_id in self.model for row_id in ids):
            self.run.delete_model_run_data_rows(ids)
            for row_id in ids:
                del self.model[row_id]
        else:
            with pytest.raises(InvalidQueryError):
                self.run.delete_model_run_data_rows(ids)

    @rule(picks=indices, split=splits, by_key=st.booleans())
    def assign(self, picks: list[int], split: str, by_key: bool) -> None:
        ids = [self.world.data_row_ids[i] for i in picks]
        kwargs: dict[str, Any] = {"global_keys": [self.world.global_keys[i] for i in picks]} if by_key else {"data_row_ids": ids}
        if all(row_id in self.model for row_id in ids):
            self.run.assign_data_rows_to_split(split=split, **kwargs)
            for row_id in ids:
                self.model[row_id]["split"] = split
        else:
            with pytest.raises(TaskFailedError):
                self.run.assign_data_rows_to_split(split=split, **kwargs)

    @invariant()
    def matches_the_model(self) -> None:
        if not hasattr(self, "run"):
            return
        seen = {r.data_row().uid: r for r in self.run.model_run_data_rows()}
        assert set(seen) == set(self.model)
        for row_id, entry in seen.items():
            expected = self.model[row_id]
            assert entry.data_split.value == expected["split"]
            assert entry.label_id == (expected["labels"][-1] if expected["labels"] else None)


TestModelRunMachine = ModelRunMachine.TestCase
TestModelRunMachine.settings = settings(settings(), max_examples=max(10, settings().max_examples // 2),
                                        stateful_step_count=20)
