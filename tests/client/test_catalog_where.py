"""`where=` on the catalog's lookups, spelled as the SDK spells it: `lb.Dataset.name == "a"` for
`Client.get_datasets`, one `lb.DataRow.<field> == value` for `Dataset.data_rows`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox

from ..support import World

NAMES = st.lists(st.sampled_from(["a", "b", "c"]), min_size=0, max_size=4)


@given(names=NAMES, wanted=st.sampled_from(["a", "b", "z"]), described=st.sampled_from(["x", "y"]))
def test_dataset_where_selects_what_python_would(client: lb.Client, names: list[str], wanted: str,
                                                 described: str) -> None:
    made = [client.create_dataset(name=name, description=("x" if i % 2 else "y")) for i, name in enumerate(names)]
    try:
        everything = list(client.get_datasets())
        assert {d.uid for d in everything} >= {d.uid for d in made}

        def ids(where: object) -> set[str]:
            return {d.uid for d in client.get_datasets(where=where)}

        assert ids(lb.Dataset.name == wanted) == {d.uid for d in everything if d.name == wanted}
        assert ids(lb.Dataset.name != wanted) == {d.uid for d in everything if d.name != wanted}
        both = (lb.Dataset.name == wanted) & (lb.Dataset.description != described)
        assert ids(both) == {d.uid for d in everything if d.name == wanted and d.description != described}
        assert ids({"name": wanted, "description": described}) == {
            d.uid for d in everything if d.name == wanted and d.description == described}
        if made:
            assert ids(lb.Dataset.uid == made[0].uid) == {made[0].uid}
            made[0].delete()  # deleted datasets are never listed, whatever the clause
            assert made[0].uid not in ids(lb.Dataset.uid == made[0].uid)
            made.pop(0)
    finally:
        for dataset in made:
            dataset.delete()


@pytest.mark.parametrize("where, named", [
    (False, "got bool False"),
    ("images", "got str 'images'"),
    (lb.Dataset.name > "b", "Dataset.name GT 'b'"),
    ((lb.Dataset.name == "a") | (lb.Dataset.uid == "b"), "OR is not supported"),
    (~(lb.Dataset.name == "a"), "NOT is not supported"),
    (lb.Project.name == "a", "Project.name is a field of Project, not of Dataset"),
    ({"id": "a"}, "'id' is not a field"),
])
def test_a_dataset_where_the_service_cannot_take_is_refused_naming_it(client: lb.Client, mock: MockLabelbox,
                                                                      where: object, named: str) -> None:
    before = len(mock.requests)
    with pytest.raises(TypeError, match=named.replace("(", r"\(").replace("|", r"\|")):
        client.get_datasets(where=where)
    assert len(mock.requests) == before  # refused before anything is sent


def test_a_dataset_field_compared_twice_is_refused_as_the_sdk_does(client: lb.Client) -> None:
    with pytest.raises(InvalidQueryError, match="multiple comparisons for the same field"):
        client.get_datasets(where=(lb.Dataset.name != "a") & (lb.Dataset.name != "b"))


@given(pick=st.integers(0, 9), field=st.sampled_from(["uid", "external_id", "global_key", "row_data"]))
def test_data_rows_where_selects_the_rows_python_would(client: lb.Client, world: World, pick: int,
                                                       field: str) -> None:
    dataset = client.get_dataset(world.dataset_id)
    rows = list(dataset.data_rows())
    value = getattr(rows[pick % len(rows)], field)
    found = list(dataset.data_rows(where=getattr(lb.DataRow, field) == value))
    assert [r.uid for r in found] == [r.uid for r in rows if getattr(r, field) == value]
    assert [r.uid for r in dataset.data_rows(where={field: value})] == [r.uid for r in found]


@pytest.mark.parametrize("where, named", [
    (lb.DataRow.external_id != "a", "can be compared with == only"),
    ((lb.DataRow.external_id == "a") & (lb.DataRow.global_key == "b"), "takes one comparison"),
    (lb.Dataset.name == "a", "Dataset.name is a field of Dataset, not of DataRow"),
    ({"externalId": "a"}, "'externalId' is not a field"),
    (True, "got bool True"),
])
def test_a_data_rows_where_the_service_cannot_take_is_refused_naming_it(client: lb.Client, mock: MockLabelbox,
                                                                        world: World, where: object,
                                                                        named: str) -> None:
    dataset = client.get_dataset(world.dataset_id)
    before = len(mock.requests)
    with pytest.raises(TypeError, match=named.replace("(", r"\(")):
        dataset.data_rows(where=where)
    assert len(mock.requests) == before


def test_data_row_fields_still_read_as_values_on_instances(client: lb.Client, world: World) -> None:
    row = client.get_data_row(world.data_row_ids[0])
    assert row.uid == world.data_row_ids[0] and repr(lb.DataRow.external_id) == "DataRow.external_id"
    assert client.get_dataset(world.dataset_id).data_row_for_external_id(row.external_id or "").uid == row.uid
