"""Export lines rendered from a snapshot: export v2 model-run rows, export v1 label rows, error rows.

Lines are JSON with ASCII escapes, so every byte is a whole character and a
stream can be cut anywhere without splitting one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Protocol

from .export_annotations import Annotation, FeatureIndex, derived_id, v1_label, v2_annotations, v2_video_annotations
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
    """The data-row part every export v2 row starts with (project or catalog; a model run's: `v2_run_rows`)."""
    details = row.details
    return _v2_data_row(row.data_row_id, row.global_key, row.external_id, row.row_data, snake_keys(row.media_attributes),
                        None if details is None else _v2_details(details.dataset_id, details.dataset_name,
                                                                 details.created_at, details.updated_at, created_by),
                        row.metadata_fields, row.attachments, row.embeddings)


def _v2_details(dataset_id: str, dataset_name: str | None, created_at: float, updated_at: float,
                created_by: str) -> dict[str, Any]:
    updated = iso(updated_at)
    return {"dataset_id": dataset_id, "dataset_name": dataset_name, "created_at": iso(created_at),
            "updated_at": updated, "last_activity_at": updated, "created_by": created_by}


def _v2_data_row(data_row_id: str, global_key: str | None, external_id: str | None, row_data: str,
                 media_attributes: dict[str, Any], details: dict[str, Any] | None,
                 metadata_fields: tuple[Any, ...] | None, attachments: tuple[Any, ...] | None,
                 embeddings: tuple[Any, ...] | None) -> dict[str, Any]:
    data_row: dict[str, Any] = {"id": data_row_id, "global_key": global_key, "external_id": external_id,
                                "row_data": row_data}
    if details is not None:
        data_row["details"] = details
    shaped: dict[str, Any] = {"data_row": data_row, "media_attributes": media_attributes}
    if metadata_fields is not None:
        shaped["metadata_fields"] = metadata_fields
    if attachments is not None:
        shaped["attachments"] = attachments
    if embeddings is not None:
        shaped["embeddings"] = embeddings
    return shaped


def v2_run_rows(run: RunSnapshot) -> Callable[[int], dict[str, Any]]:
    """Row i of a model run's snapshot in export v2's shape, read straight from its columns.

    No record is built per row, and what the rows share is looked up once: consecutive rows of
    one dataset made together share their details (one dict, encoded once per row like any other).
    """
    (data_row_ids, global_keys, external_ids, row_datas, media_types, media_attributes, run_data_row_ids, splits,
     labels, predictions, metadata_fields, attachments, embeddings, dataset_ids, dataset_names, created_ats,
     updated_ats) = run.rows.columns
    created_by = run.created_by
    last: list[Any] = [None, None]  # the last details' key and dict
    last_media: list[Any] = [None, None]  # the last media attributes, and as exported

    def row(index: int) -> dict[str, Any]:
        details = None
        dataset_id = dataset_ids[index]
        if dataset_id is not None:
            key = (dataset_id, dataset_names[index], created_ats[index], updated_ats[index])
            if key == last[0]:
                details = last[1]
            else:
                details = _v2_details(*key, created_by)
                last[0], last[1] = key, details
        media = media_attributes[index]
        if media != last_media[0]:  # rows of one kind mostly hold equal attributes: converted once
            last_media[0], last_media[1] = media, snake_keys(media)
        shaped = _v2_data_row(data_row_ids[index], global_keys[index], external_ids[index], row_datas[index],
                              last_media[1], details, metadata_fields[index], attachments[index],
                              embeddings[index])
        shaped["experiments"] = _v2_experiments(run, run_data_row_ids[index], labels[index], predictions[index],
                                                media_types[index], splits[index])
        return shaped

    return row


def v2_experiments(row: RowSnapshot, run: RunSnapshot) -> dict[str, Any]:
    """A row's `experiments` entry for one run: {model id: {name, runs: {run id: ...}}}."""
    return _v2_experiments(run, row.run_data_row_id, row.labels, row.predictions, row.media_type, row.split)


def _v2_experiments(run: RunSnapshot, run_data_row_id: str, labels: tuple[LabelSnapshot, ...],
                    predictions: tuple[Annotation, ...] | None, media_type: str, split: str | None) -> dict[str, Any]:
    experiment_run: dict[str, Any] = {
        "name": run.run_name,
        "run_data_row_id": run_data_row_id,
        "labels": [v2_label(label, run.features, media_type) for label in labels] if labels else [],
    }
    if predictions is not None:  # grouped as one prediction label, whose id state does not hold: derived
        experiment_run["predictions"] = (
            [_v2_label_of(derived_id(run_data_row_id, "predictions"), predictions, run.features, media_type)]
            if predictions else [])
    if run.params.model_run_details:
        experiment_run["split"] = split_name(split)
    return {run.model_id: {"name": run.model_name, "runs": {run.run_id: experiment_run}}}


def v2_label(label: LabelSnapshot, features: FeatureIndex, media_type: str) -> dict[str, Any]:
    return _v2_label_of(label.id, label.annotations, features, media_type)


def _v2_label_of(label_id: str, annotations: Any, features: FeatureIndex, media_type: str) -> dict[str, Any]:
    if media_type == VIDEO:
        return {"label_kind": "Video", "version": LABEL_VERSION, "id": label_id,
                "annotations": v2_video_annotations(annotations, features, label_id)}
    return {"label_kind": LABEL_KIND, "version": LABEL_VERSION, "id": label_id,
            "annotations": v2_annotations(annotations, features, label_id)}


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
