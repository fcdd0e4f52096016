"""Model slices: Client.get_model_slice and the rows a slice selects in a model run."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import slice as slice_module
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.state.seed import SeedError

KEYS = [f"k{i}" for i in range(8)]


def _seed(mock: MockLabelbox, members: list[str], slice_id: str = "s1") -> dict[str, object]:
    return mock.seed({
        "ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{k}", "global_key": k}
                                                 for k in KEYS]}],
        "model_slices": [{"id": slice_id, "name": "hard cases", "description": "night", "filter": [{"t": "x"}],
                          "data_rows": members}],
    })


@given(members=st.lists(st.sampled_from(KEYS), unique=True), in_run=st.lists(st.sampled_from(KEYS), min_size=1,
                                                                                unique=True),
       page=st.integers(1, 4))
def test_a_slice_selects_its_rows_that_are_in_the_run_in_run_order(members: list[str], in_run: list[str],
                                                                     page: int) -> None:
    with MockLabelbox() as mock, pytest.MonkeyPatch.context() as patch:
        patch.setattr(slice_module, "PAGE_SIZE", page)
        created = _seed(mock, members)
        client = lb.Client(api_key=mock.api_key)
        run = client.get_model(created["models"][0]).create_model_run("r")  # type: ignore[index]
        run.upsert_data_rows(global_keys=in_run)
        model_slice = client.get_model_slice("s1")
        assert (model_slice.name, model_slice.description, model_slice.filter) == ("hard cases", "night", [{"t": "x"}])
        got = [row.to_hash()["global_key"] for row in model_slice.get_data_row_identifiers(run.uid)]
        assert got == [key for key in in_run if key in members]
        by_id = {row.id.key: row.global_key for row in model_slice.get_data_row_identifiers(run.uid)}
        assert all(key is None or key.key in KEYS for key in by_id.values())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            assert list(model_slice.get_data_row_ids(run.uid)) == list(by_id)


def test_unknown_slices_and_runs_are_named(client: lb.Client, mock: MockLabelbox) -> None:
    _seed(mock, ["k0"], slice_id="s-known")
    with pytest.raises(ResourceNotFoundError, match="nope"):
        client.get_model_slice("nope")
    with pytest.raises(ResourceNotFoundError, match="ModelRun not found"):
        list(client.get_model_slice("s-known").get_data_row_identifiers("no-run"))
    with pytest.warns(DeprecationWarning, match="get_data_row_identifiers"):
        client.get_model_slice("s-known").get_data_row_ids("no-run")


def test_a_seeded_slice_must_name_rows_that_exist(mock: MockLabelbox) -> None:
    with pytest.raises(SeedError) as raised:
        mock.seed({"model_slices": [{"name": "s", "data_rows": ["missing", 3]}, {"name": "t", "data_rows": "k0"}]})
    assert [path for path, _ in raised.value.problems] == [
        "model_slices[0].data_rows[0]", "model_slices[0].data_rows[1]", "model_slices[1].data_rows"]
