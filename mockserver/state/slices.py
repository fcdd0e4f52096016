"""Reading model slices: the rows a slice selects, in a model run, a page at a time."""

from __future__ import annotations

from .organization import Organization
from .records import DataRow


def slice_rows(org: Organization, slice_id: str, model_run_id: str | None, after: str | None,
               first: int) -> tuple[list[DataRow], int, bool]:
    """(the page of rows after data row `after`, how many rows there are in all, whether more follow).

    With a model run, the slice's rows in that run, in the run's order; without one, all its rows.
    """
    model_slice = org.model_slice(slice_id)
    members = set(model_slice.data_row_ids)
    if model_run_id is not None:
        run = org.model_run(model_run_id)
        selected = [row_id for row_id in run.rows if row_id in members]  # run.rows keeps the run's order
    else:
        selected = list(model_slice.data_row_ids)
    start = selected.index(after) + 1 if after in selected else 0
    page = selected[start:start + max(first, 0)]
    return [org.data_row(row_id) for row_id in page], len(selected), start + len(page) < len(selected)
