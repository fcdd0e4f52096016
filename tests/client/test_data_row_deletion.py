"""Deleting data rows leaves no reference to them anywhere: model runs, slices, batches, queues,
labels, pre-labels and exports all forget a deleted row, whatever came before the deletion."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, MalformedQueryException
from mockserver import MockLabelbox

from ..support import FakeTime, World, standard_seed, world_from

ROWS = 6
# Records of what already happened keep the ids they were made with (a finished task's result, an
# import's input, the ids of deleted rows); every other table is live state and must not name a deleted row.
HISTORY = {"tasks", "task_outcomes", "annotation_imports", "deleted_data_rows"}


def references(mock: MockLabelbox, ids: set[str]) -> list[str]:
    """Where in the dumped live state any of `ids` appears (as a value or a key): a path per hit."""
    hits: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, str):
            if value in ids:
                hits.append(path)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ids:
                    hits.append(f"{path}.{key} (key)")
                walk(item, f"{path}.{key}")
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")

    for org in mock.backend.dump()["organizations"]:
        for table, content in org.items():
            if table not in HISTORY:
                walk(content, table)
    return hits


def seed_with_slice(rows: int) -> dict[str, Any]:
    doc = standard_seed(rows)
    doc["model_slices"] = [{"name": "every row", "data_rows": [f"gk-{i}" for i in range(rows)]}]
    return doc


def client_for(mock: MockLabelbox) -> lb.Client:
    fake = FakeTime()
    return lb.Client(api_key=mock.api_key, enable_experimental=True,
                     poller=lb.Poller(clock=fake.clock, sleep=fake.sleep))


def run_export_rows(run: lb.ModelRun) -> tuple[set[str], bool]:
    task = run.export()
    task.wait_till_done()
    if not task.has_result():
        return set(), task.has_errors()
    lines = [output.json for output in task.get_buffered_stream(lb.StreamType.RESULT)]
    return {line["data_row"]["id"] for line in lines}, task.has_errors()


def test_a_deleted_row_leaves_model_runs_slices_batches_labels_and_exports(mock: MockLabelbox,
                                                                          client: lb.Client) -> None:
    created = mock.seed(seed_with_slice(ROWS))
    world = world_from(created, ROWS)
    slice_id = created["model_slices"][0]
    run = client.get_model(world.model_id).create_model_run("before deletion")
    run.upsert_labels(project_id=world.project_id)
    run.upsert_data_rows(data_row_ids=world.data_row_ids)
    project = client.create_project("second", media_type=lb.MediaType.Image)
    batch = project.create_batch("all rows", data_rows=world.data_row_ids)
    labelled = world.data_row_ids[0]  # the seed labels the first half of the rows

    client.get_data_row(labelled).delete()
    lb.DataRow.bulk_delete([client.get_data_row(world.data_row_ids[-1])])
    gone = {labelled, world.data_row_ids[-1]}

    assert references(mock, gone) == []
    left = set(world.data_row_ids) - gone
    assert {entry.data_row().uid for entry in run.model_run_data_rows()} == left
    assert {row.id.key for row in client.get_model_slice(slice_id).get_data_row_identifiers(run.uid)} == left
    assert client.get_batch(project.uid, batch.uid).size == len(left)
    assert client.get_project(world.project_id).get_label_count() == ROWS // 2 - 1
    assert run_export_rows(run) == (left, False)  # no row reported missing


def test_deleting_an_unknown_row_is_refused_and_deletes_nothing(mock: MockLabelbox, client: lb.Client,
                                                               world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("kept")
    run.upsert_data_rows(data_row_ids=world.data_row_ids)
    before = mock.backend.dump()
    known = client.get_data_row(world.data_row_ids[0])
    ghost = lb.DataRow(client=client, uid="no-such-row", row_data="", external_id=None, global_key=None,
                       media_attributes=None, metadata_fields=[], created_at=None, updated_at=None)
    with pytest.raises(InvalidQueryError, match="no-such-row"):
        lb.DataRow.bulk_delete([known, ghost])
    assert mock.backend.dump()["organizations"] == before["organizations"]
    known.delete()
    known.delete()  # deleted already: Labelbox answers it without error, and nothing changes
    assert known.uid not in mock.backend.dump()["organizations"][0]["data_rows"]


class DeletionMachine(RuleBasedStateMachine):
    """Drawn creates, registrations, batches and deletes; the state never names a deleted row."""

    rows = Bundle("rows")

    @initialize(target=rows)
    def setup(self) -> Any:
        self.mock = MockLabelbox().start()
        created = self.mock.seed(seed_with_slice(ROWS))
        self.world = world_from(created, ROWS)
        self.client = client_for(self.mock)
        self.run = self.client.get_model(self.world.model_id).create_model_run("machine")
        self.project = self.client.create_project("machine", media_type=lb.MediaType.Image)
        self.dataset = self.client.get_dataset(self.world.dataset_id)
        self.alive: set[str] = set(self.world.data_row_ids)
        self.deleted: set[str] = set()
        self.in_run: set[str] = set()
        self.in_project: set[str] = set()
        self.made = 0
        return multiple(*self.world.data_row_ids)

    def teardown(self) -> None:
        if hasattr(self, "mock"):
            self.mock.stop()

    @rule(target=rows, count=st.integers(1, 3))
    def create_rows(self, count: int) -> Any:
        task = self.dataset.create_data_rows([
            {"row_data": f"https://example.com/new-{self.made + i}.jpg", "global_key": f"new-{self.made + i}"}
            for i in range(count)])
        task.wait_till_done()
        self.made += count
        result = task.result
        assert result is not None  # a finished upsert has its rows
        made = [row["id"] for row in result]
        self.alive.update(made)
        return multiple(*made)

    @rule(picks=st.lists(rows, min_size=1, max_size=3, unique=True))
    def register(self, picks: list[str]) -> None:
        if set(picks) <= self.alive:
            self.run.upsert_data_rows(data_row_ids=picks)
            self.in_run.update(picks)
        else:
            with pytest.raises(lb.exceptions.TaskFailedError):
                self.run.upsert_data_rows(data_row_ids=picks)

    @rule()
    def register_project_labels(self) -> None:
        self.run.upsert_labels(project_id=self.world.project_id)
        state = self.mock.backend.store.organizations()[0]
        self.in_run.update(state.labels[key].data_row_id for key in state.projects[self.world.project_id].label_ids)

    @rule(picks=st.lists(rows, min_size=1, max_size=4, unique=True))
    def batch(self, picks: list[str]) -> None:
        self.made += 1
        joining = set(picks) & self.alive - self.in_project
        if not joining:  # Labelbox refuses a batch none of whose rows can join
            with pytest.raises(MalformedQueryException, match="none of the data rows can be added"):
                self.project.create_batch(f"batch {self.made}", data_rows=picks)
            return
        batch = self.project.create_batch(f"batch {self.made}", data_rows=picks)
        assert set(batch.failed_data_row_ids) == set(picks) - joining
        self.in_project |= joining

    @rule(picks=st.lists(rows, min_size=1, max_size=3, unique=True), one_by_one=st.booleans())
    def delete(self, picks: list[str], one_by_one: bool) -> None:
        # a row deleted before is deleted already: deleting it again is no error and changes nothing
        if one_by_one:
            for key in picks:
                self._row(key).delete()
        else:
            lb.DataRow.bulk_delete([self._row(key) for key in picks])
        self.alive -= set(picks)
        self.deleted |= set(picks)
        self.in_run -= set(picks)
        self.in_project -= set(picks)

    def _row(self, key: str) -> lb.DataRow:
        return lb.DataRow(client=self.client, uid=key, row_data="", external_id=None, global_key=None,
                          media_attributes=None, metadata_fields=[], created_at=None, updated_at=None)

    @rule()
    def export(self) -> None:
        assert run_export_rows(self.run) == (self.in_run, False)

    @invariant()
    def nothing_names_a_deleted_row(self) -> None:
        if not hasattr(self, "mock"):
            return
        assert references(self.mock, self.deleted) == []
        assert {entry.data_row().uid for entry in self.run.model_run_data_rows()} == self.in_run


TestDeletionMachine = DeletionMachine.TestCase
TestDeletionMachine.settings = settings(settings(), max_examples=max(10, settings().max_examples // 2),
                                        stateful_step_count=15)
