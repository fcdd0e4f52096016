"""Export lines rendered from a snapshot: export v2 model-run rows, export v1 label rows, error rows.

Lines are JSON with ASCII escapes, so every byte is a whole character and a
stream can be cut anywhere without splitting one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Protocol

from .export_annotations import FeatureIndex, derived_id, v1_label, v2_annotations, v2_video_annotations
from .export_snapshot import DataRowDetails, LabelSnapshot, RowError, RowSnapshot, RunSnapshot
from .ndjson_stream import encode_document

LABEL_KIND = "Default"
VIDEO = "VIDEO"  # a video's labels are exported frame by frame, as label_kind "Video"


class DataRowPart(Protocol):
    """What the data-row part of an export v2 row reads; optional parts are None when left out."""

    @property
    def data_row_id(self) -> str: ...
    @property
    def global_key(self) -> str | None: ...
    @property
    def external_id(self) -> str | None: ...
    @property
    def row_data(self) -> str: ...
    @property
    def media_attributes(self) -> Mapping[str, Any]: ...
    @property
    def details(self) -> DataRowDetails | None: ...
    @property
    def metadata_fields(self) -> tuple[Any, ...] | None: ...
    @property
    def attachments(self) -> tuple[Any, ...] | None: ...
    @property
    def embeddings(self) -> tuple[Any, ...] | None: ...

LABEL_VERSION = "1.0.0"


def line(document: Any) -> bytes:
    return (encode_document(document) + "\n").encode("ascii")


@lru_cache(maxsize=4096)  # rows made together share timestamps; formatting one costs a few microseconds
def iso(moment: float) -> str:
    """Export timestamps, e.g. 2023-03-15T14:46:58.000+00:00."""
    stamp = datetime.fromtimestamp(moment, tz=timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}+00:00"


_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])([A-Z])")


@lru_cache(maxsize=1024)  # a handful of distinct keys over every row: converted once each
def snake_key(key: str) -> str:
    return _CAMEL_HUMP.sub(r"_\1", key).lower()


def snake_keys(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Media attributes as export v2 spells them (mime_type), whichever way state spelt them (mimeType)."""
    return {snake_key(key): value for key, value in attributes.items()}


def split_name(split: str | None) -> str | None:
    return split.lower() if split else None


def v2_data_row(row: DataRowPart, created_by: str) -> dict[str, Any]:
    """The data-row part every export v2 row starts with (model run, project or catalog)."""
    data_row: dict[str, Any] = {
        "id": row.data_row_id, "global_key": row.global_key, "external_id": row.external_id, "row_data": row.row_data,
    }
    if row.details is not None:
        data_row["details"] = {
            "dataset_id": row.details.dataset_id, "dataset_name": row.details.dataset_name,
            "created_at": iso(row.details.created_at), "updated_at": iso(row.details.updated_at),
            "last_activity_at": iso(row.details.updated_at), "created_by": created_by,
        }
    shaped: dict[str, Any] = {"data_row": data_row, "media_attributes": snake_keys(row.media_attributes)}
    if row.metadata_fields is not None:
        shaped["metadata_fields"] = row.metadata_fields
    if row.attachments is not None:
        shaped["attachments"] = row.attachments
    if row.embeddings is not None:
        shaped["embeddings"] = row.embeddings
    return shaped


def v2_row(row: RowSnapshot, run: RunSnapshot) -> dict[str, Any]:
    """One model-run data row in export v2's shape; optional parts only when the params ask."""
    shaped = v2_data_row(row, run.created_by)
    shaped["experiments"] = v2_experiments(row, run)
    return shaped


def v2_experiments(row: RowSnapshot, run: RunSnapshot) -> dict[str, Any]:
    """A row's `experiments` entry for one run: {model id: {name, runs: {run id: ...}}}."""
    params = run.params
    experiment_run: dict[str, Any] = {
        "name": run.run_name,
        "run_data_row_id": row.run_data_row_id,
        "labels": [v2_label(label, run.features, row.media_type) for label in row.labels],
    }
    if row.predictions is not None:
        experiment_run["predictions"] = _v2_predictions(row, run)
    if params.model_run_details:
        experiment_run["split"] = split_name(row.split)
    return {run.model_id: {"name": run.model_name, "runs": {run.run_id: experiment_run}}}


def v2_label(label: LabelSnapshot, features: FeatureIndex, media_type: str) -> dict[str, Any]:
    return _v2_label_of(label.id, label.annotations, features, media_type)


def _v2_label_of(label_id: str, annotations: Any, features: FeatureIndex, media_type: str) -> dict[str, Any]:
    if media_type == VIDEO:
        return {"label_kind": "Video", "version": LABEL_VERSION, "id": label_id,
                "annotations": v2_video_annotations(annotations, features, label_id)}
    return {"label_kind": LABEL_KIND, "version": LABEL_VERSION, "id": label_id,
            "annotations": v2_annotations(annotations, features, label_id)}


def prediction_label_id(run_data_row_id: str) -> str:
    """A row's predictions are grouped as one prediction label; state gives it no id, so derive one."""
    return derived_id(run_data_row_id, "predictions")


def _v2_predictions(row: RowSnapshot, run: RunSnapshot) -> list[dict[str, Any]]:
    if not row.predictions:
        return []
    return [_v2_label_of(prediction_label_id(row.run_data_row_id), row.predictions, run.features, row.media_type)]


def error_row(error: RowError) -> dict[str, Any]:
    return {"data_row_id": error.data_row_id, "run_data_row_id": error.run_data_row_id, "error": error.message}


def v1_label_row(row: RowSnapshot, label: LabelSnapshot, run: RunSnapshot) -> dict[str, Any]:
    """One label in export v1's shape, as ModelRun.export_labels returned it."""
    return {
        "ID": label.id,
        "DataRow ID": row.data_row_id,
        "Labeled Data": row.row_data,
        "External ID": row.external_id,
        "Global Key": row.global_key,
        "Media Attributes": row.media_attributes,
        "DataRow Metadata": row.metadata_fields or [],
        "Label": v1_label(label.annotations, run.features, label.id),
        "Created By": run.created_by,
        "Project Name": label.project_name,
        "Created At": iso(label.created_at),
        "Updated At": iso(label.updated_at),
        "Dataset Name": row.details.dataset_name if row.details is not None else None,
        "Data Split": split_name(row.split),
        "media_type": row.media_type,
    }
