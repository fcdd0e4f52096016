"""Model-run data rows, labels and splits through labelbox_lite: examples people ask about."""

from __future__ import annotations

from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, TaskFailedError
from mockserver import MockLabelbox

from ..support import World


@pytest.fixture
def run(client: lb.Client, world: World) -> lb.ModelRun:
    return client.get_model(world.model_id).create_model_run("run")


def rows_of(run: lb.ModelRun) -> dict[str, tuple[str | None, lb.DataSplit]]:
    return {r.data_row().uid: (r.label_id, r.data_split) for r in run.model_run_data_rows()}


def test_upsert_by_id_and_global_key_is_idempotent(run: lb.ModelRun, world: World) -> None:
    assert run.upsert_data_rows(data_row_ids=world.data_row_ids[:3]) is True
    assert run.upsert_data_rows(global_keys=world.global_keys[2:5]) is True
    assert run.upsert_data_rows(data_row_ids=world.data_row_ids[:5]) is True
    assert set(rows_of(run)) == set(world.data_row_ids[:5])
    assert all(split == lb.DataSplit.UNASSIGNED for _, split in rows_of(run).values())


def test_labels_attach_to_their_data_rows_entry(run: lb.ModelRun, world: World) -> None:
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:1])
    run.upsert_labels(label_ids=world.label_ids[:2])
    rows = rows_of(run)
    assert rows[world.data_row_ids[0]][0] == world.label_ids[0]
    assert rows[world.data_row_ids[1]][0] == world.label_ids[1]
    assert len(rows) == 2  # the first row's entry was reused, not duplicated


def test_upsert_labels_by_project_takes_every_label(run: lb.ModelRun, world: World) -> None:
    run.upsert_labels(project_id=world.project_id)
    assert {label for label, _ in rows_of(run).values()} == set(world.label_ids)


@pytest.mark.parametrize("kwargs", [{}, {"label_ids": ["x"], "project_id": "p"}, {"label_ids": []}])
def test_upsert_labels_needs_exactly_one_source(run: lb.ModelRun, mock: MockLabelbox, kwargs: dict[str, Any]) -> None:
    sent = len(mock.requests)
    with pytest.raises(ValueError):
        run.upsert_labels(**kwargs)
    assert len(mock.requests) == sent


def test_unknown_ids_fail_the_task_naming_them_and_change_nothing(run: lb.ModelRun, world: World) -> None:
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:2])
    with pytest.raises(TaskFailedError, match="ghost-1") as raised:
        run.upsert_data_rows(data_row_ids=[world.data_row_ids[3], "ghost-1"], global_keys=["ghost-key"])
    assert "ghost-key" in str(raised.value)
    with pytest.raises(TaskFailedError, match="no-such-label"):
        run.upsert_labels(label_ids=[world.label_ids[0], "no-such-label"])
    assert set(rows_of(run)) == set(world.data_row_ids[:2])


def test_delete_removes_entries_with_their_labels(run: lb.ModelRun, world: World) -> None:
    run.upsert_labels(label_ids=world.label_ids[:3])
    run.delete_model_run_data_rows(world.data_row_ids[:1])
    assert set(rows_of(run)) == set(world.data_row_ids[1:3])
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:1])
    assert rows_of(run)[world.data_row_ids[0]][0] is None  # re-added without its old label


def test_deleting_rows_not_in_the_run_is_refused_whole(run: lb.ModelRun, world: World) -> None:
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:2])
    with pytest.raises(InvalidQueryError, match=world.data_row_ids[5]):
        run.delete_model_run_data_rows([world.data_row_ids[0], world.data_row_ids[5]])
    assert set(rows_of(run)) == set(world.data_row_ids[:2])


def test_splits_by_id_and_global_key(run: lb.ModelRun, world: World) -> None:
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:4])
    run.assign_data_rows_to_split(data_row_ids=world.data_row_ids[:2], split=lb.DataSplit.TRAINING)
    run.assign_data_rows_to_split(global_keys=["gk-2"], split="VALIDATION")
    splits = {row: split for row, (_, split) in rows_of(run).items()}
    assert splits == {
        world.data_row_ids[0]: lb.DataSplit.TRAINING, world.data_row_ids[1]: lb.DataSplit.TRAINING,
        world.data_row_ids[2]: lb.DataSplit.VALIDATION, world.data_row_ids[3]: lb.DataSplit.UNASSIGNED,
    }


@pytest.mark.parametrize("split", ["training", "HOLDOUT", None, 3])
def test_an_invalid_split_is_refused_before_sending(run: lb.ModelRun, world: World, mock: MockLabelbox,
                                                    split: object) -> None:
    sent = len(mock.requests)
    with pytest.raises(ValueError, match="split"):
        run.assign_data_rows_to_split(data_row_ids=world.data_row_ids[:1], split=split)  # type: ignore[arg-type]
    assert len(mock.requests) == sent


def test_split_of_rows_outside_the_run_fails_naming_them(run: lb.ModelRun, world: World) -> None:
    run.upsert_data_rows(data_row_ids=world.data_row_ids[:1])
    with pytest.raises(TaskFailedError, match=world.data_row_ids[6]):
        run.assign_data_rows_to_split(data_row_ids=[world.data_row_ids[0], world.data_row_ids[6]], split="TEST")
    assert rows_of(run)[world.data_row_ids[0]][1] == lb.DataSplit.UNASSIGNED


def test_experimental_methods_need_the_flag(mock: MockLabelbox, world: World) -> None:
    client = lb.Client(api_key=mock.api_key)
    run = client.get_model(world.model_id).create_model_run("r")
    with pytest.raises(RuntimeError, match="enable_experimental"):
        run.assign_data_rows_to_split(data_row_ids=world.data_row_ids[:1], split="TEST")
    with pytest.raises(RuntimeError, match="enable_experimental"):
        run.update_status("COMPLETE")


def test_training_status_metadata_merges_and_error_message_persists(run: lb.ModelRun, client: lb.Client) -> None:
    from labelbox_lite import documents as docs

    def pipeline() -> dict[str, Any]:
        answer: dict[str, Any] = client.execute(docs.GET_TRAINING_PIPELINE, {"modelRunId": run.uid},
                                                experimental=True)["trainingPipeline"]
        return answer

    assert pipeline() == {"status": None, "errorMessage": None, "metadata": None}
    run.update_status("TRAINING_MODEL", metadata={"epoch": 1}, error_message="slow")
    run.update_status(lb.ModelRun.Status.FAILED, metadata={"loss": 0.5})
    assert pipeline() == {"status": "FAILED", "errorMessage": "slow", "metadata": {"epoch": 1, "loss": 0.5}}
    with pytest.raises(ValueError, match="status"):
        run.update_status("DONE")


def test_pages_cover_every_row(client: lb.Client, mock: MockLabelbox) -> None:
    from ..support import standard_seed, world_from

    big = world_from(mock.seed(standard_seed(250)), 250)
    run = client.get_model(big.model_id).create_model_run("big")
    run.upsert_data_rows(global_keys=big.global_keys)
    rows = list(run.model_run_data_rows())
    assert len(rows) == 250 and len({r.uid for r in rows}) == 250
    pages = [r for r in mock.requests if r.operation == "modelRunPyApi"]
    assert len(pages) == 3


def test_model_run_data_row_url_and_data_row(run: lb.ModelRun, world: World, client: lb.Client) -> None:
    run.upsert_data_rows(global_keys=["gk-1"])
    (entry,) = list(run.model_run_data_rows())
    assert entry.url == f"{client.app_url}/models/{run.model_id}/{run.uid}/AllDatarowsSlice/{entry.uid}?view=carousel"
    assert entry.data_row().global_key == "gk-1" and entry.model_run_id == run.uid
