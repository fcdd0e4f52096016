"""Dataset.data_rows pages: newest first, each page after the cursor the last one answered, and after a row
the caller names with `from_cursor`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
import labelbox_lite.dataset as lite_dataset
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox


def _dataset(mock: MockLabelbox, client: lb.Client, count: int) -> tuple[lb.Dataset, list[str]]:
    mock.reset()
    dataset = client.create_dataset(name="pages")
    dataset.create_data_rows([{"row_data": f"https://example.com/{i}.jpg", "global_key": f"p{i}"}
                              for i in range(count)]).wait_till_done()
    newest_first = [client.get_data_row_by_global_key(f"p{i}").uid for i in reversed(range(count))]
    return dataset, newest_first


def test_from_cursor_starts_after_the_row_it_names(mock: MockLabelbox, client: lb.Client) -> None:
    dataset, ids = _dataset(mock, client, 3)
    assert [r.uid for r in dataset.data_rows()] == ids
    assert [r.uid for r in dataset.data_rows(from_cursor=ids[0])] == ids[1:]
    assert [r.uid for r in dataset.data_rows(from_cursor=ids[-1])] == []


@given(count=st.integers(1, 9), page=st.integers(1, 4), start=st.integers(0, 9), deleted=st.sets(st.integers(0, 8)))
def test_every_row_once_whatever_the_page_size(mock: MockLabelbox, client: lb.Client,
                                               monkeypatch: pytest.MonkeyPatch, count: int, page: int, start: int,
                                               deleted: set[int]) -> None:
    monkeypatch.setattr(lite_dataset, "DATA_ROWS_PAGE_SIZE", page)
    dataset, ids = _dataset(mock, client, count)
    doomed = [ids[i] for i in sorted(deleted) if i < count]
    if doomed:
        lb.DataRow.bulk_delete([client.get_data_row(uid) for uid in doomed])
    left = [uid for uid in ids if uid not in doomed]
    assert [r.uid for r in dataset.data_rows()] == left
    if start < len(left):
        assert [r.uid for r in dataset.data_rows(from_cursor=left[start])] == left[start + 1:]


def test_a_cursor_outside_the_dataset_is_refused(mock: MockLabelbox, client: lb.Client) -> None:
    dataset, _ = _dataset(mock, client, 1)
    other = client.create_dataset(name="other").create_data_row(row_data="https://example.com/o.jpg")
    with pytest.raises(InvalidQueryError, match="is not in dataset"):
        list(dataset.data_rows(from_cursor=other.uid))
