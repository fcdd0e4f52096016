"""Whether Labelbox could process a data row's asset.

Labelbox reads an asset on a private cloud bucket (gs://, s3://) only through a
delegated-access integration on the dataset. The mock has no integrations, so such
rows exist (their upload succeeds) but their processing fails, and the operations
that need processed rows (a batch, for one) report them as failed.
"""

from __future__ import annotations

from .records import DataRow

_BUCKET_SCHEMES = ("gs://", "s3://")


def processing_failed(row: DataRow) -> bool:
    return row.row_data.lower().startswith(_BUCKET_SCHEMES)
