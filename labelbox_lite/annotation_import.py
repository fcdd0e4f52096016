"""Prediction imports: predictions into a model run (MEA), and from a model run into a project (MEA to MAL).

An import runs on the server. Its `statuses` say, row by row, whether each
prediction was accepted (SUCCESS) or not (FAILURE, with errors saying why);
`errors` holds the FAILURE rows only. Both wait for the import to finish.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import urlsplit

import attrs
from attrs import define, field

from . import documents as docs
from .entity import Entity
from .exceptions import LabelboxError, TaskFailedError
from .export_stream import read_ndjson
from .fast_json import encode_rows

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11; only the type checker reads it

    from .client import Client
    from .project import Project
    from .types import Label

logger = logging.getLogger(__name__)

NDJSON_CONTENT_TYPE = "application/x-ndjson"


class AnnotationImportState(Enum):
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"


@define(eq=False)
class AnnotationImport(Entity):
    """What both import kinds share: state, progress, the three files, and the wait."""

    client: Client = field(repr=False)
    uid: str
    name: str
    state: AnnotationImportState
    progress: str | None
    input_file_url: str | None = field(repr=False)
    error_file_url: str | None = field(repr=False)
    status_file_url: str | None = field(repr=False)
    _downloads: dict[str, list[dict[str, Any]]] = field(factory=dict, repr=False, init=False)
    deleted: bool = field(default=False, kw_only=True)  # False as read; True once deleted through this object

    kind: ClassVar[str] = "import"

    # -- from the API's node: one mapping, read by both construction and refresh -----------------------
    @classmethod
    def _fields(cls, node: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor's keyword arguments (aliases, for private attributes) from an import node."""
        return {"uid": node["id"], "name": node["name"], "state": AnnotationImportState(node["state"]),
                "progress": node.get("progress"), "input_file_url": node.get("inputFileUrl"),
                "error_file_url": node.get("errorFileUrl"), "status_file_url": node.get("statusFileUrl")}

    @classmethod
    def _from_node(cls, client: Client, node: Mapping[str, Any]) -> Self:
        return cls(client=client, **cls._fields(node))

    def _update(self, node: Mapping[str, Any]) -> None:
        names = {attribute.alias: attribute.name for attribute in attrs.fields(type(self))}
        for keyword, value in self._fields(node).items():
            setattr(self, names[keyword], value)

    def _fetch(self) -> Mapping[str, Any]:
        raise NotImplementedError

    def refresh(self) -> None:
        """Reads the import's current state (by its parent and name, as Labelbox identifies imports)."""
        self._update(self._fetch())

    # -- waiting ----------------------------------------------------------------------------------
    def wait_till_done(self, sleep_time_seconds: float = 10, show_progress: bool = False, *,
                       timeout_seconds: float | None = None) -> None:
        """Polls every `sleep_time_seconds` until the import is no longer RUNNING.

        Raises TaskFailedError with the server's reasons if the import FAILED (the SDK returns
        silently and fails later, at `statuses`); `timeout_seconds` (unbounded by default, as
        in the SDK) raises TimeoutError.
        """
        self._wait(sleep_time_seconds, show_progress, timeout_seconds)
        if self.state is AnnotationImportState.FAILED:
            raise TaskFailedError(f"{self.kind} {self.name!r} ({self.uid}) failed: {self._failure_reasons()}",
                                  self.uid)

    def wait_until_done(self, sleep_time_seconds: float = 10, show_progress: bool = False) -> None:
        """Deprecated name of wait_till_done (deprecated in the SDK too)."""
        warnings.warn("The method wait_until_done for AnnotationImport is deprecated; use wait_till_done",
                      DeprecationWarning, stacklevel=2)
        self.wait_till_done(sleep_time_seconds, show_progress)

    def _wait(self, sleep_time_seconds: float = 10, show_progress: bool = False,
              timeout_seconds: float | None = None) -> None:
        def check() -> bool | None:
            if self.state is AnnotationImportState.RUNNING:
                self.refresh()
                if show_progress and self.progress:
                    sys.stderr.write(f"\r{self.kind} {self.name!r}: {self.progress}")
            return None if self.state is AnnotationImportState.RUNNING else True

        if self.state is AnnotationImportState.RUNNING:
            self.client.poller.wait(check, timeout=float("inf") if timeout_seconds is None else timeout_seconds,
                                    interval=sleep_time_seconds, what=f"{self.kind} {self.name!r} ({self.uid})")
            if show_progress:
                sys.stderr.write("\n")

    # -- files ------------------------------------------------------------------------------------
    @property
    def inputs(self) -> list[dict[str, Any]]:
        """The rows the import was given (does not wait)."""
        return self._download("input_file_url")

    @property
    def errors(self) -> list[dict[str, Any]]:
        """The FAILURE status rows; waits for the import to finish."""
        self._wait()
        self._raise_if_failed()
        return self._download("error_file_url")

    @property
    def statuses(self) -> list[dict[str, Any]]:
        """One status per input row, in input order; waits for the import to finish."""
        self._wait()
        self._raise_if_failed()
        return self._download("status_file_url")

    def _raise_if_failed(self) -> None:
        if self.state is AnnotationImportState.FAILED:
            raise ValueError(f"Import failed. {self._failure_reasons()}")

    def _failure_reasons(self) -> str:
        """The messages of a failed import's error file, or a note that it has none."""
        reasons: list[str] = []
        if self.error_file_url:
            try:
                reasons = [str(error.get("message")) for row in self._download("error_file_url")
                           for error in row.get("errors") or []]
            except LabelboxError:
                logger.debug("the error file of failed %s %s could not be read", self.kind, self.uid)
        return "; ".join(reasons) if reasons else "the server gave no reason"

    def _download(self, attribute: str) -> list[dict[str, Any]]:
        url = getattr(self, attribute)
        if url is None:
            raise ValueError(f"{self.kind} {self.name!r} has no {attribute.replace('_', ' ')} yet")
        if url not in self._downloads:
            try:
                body = self.client.download(url)
            except LabelboxError:
                # signed URLs expire: a fresh read of the import signs them again
                self.refresh()
                url = getattr(self, attribute)
                body = self.client.download(url)
            self._downloads[url] = read_ndjson([body])
        return self._downloads[url]


class _Creatable:
    """`create(client, id, name, path=, url=, labels=)`, the SDK's one entry point over the three ways in."""

    @classmethod
    def create(cls, client: Client, id: str, name: str, path: str | None = None,  # noqa: A002 - the SDK's name
               url: str | None = None, labels: Iterable[dict[str, Any] | Label] = ()) -> Any:
        given = [key for key, value in (("url", url), ("path", path), ("labels", labels)) if value]
        if len(given) != 1:
            raise ValueError("give exactly one non-empty of url, path or labels; got "
                             f"{', '.join(given) if given else 'none'}")
        if url:
            return cls.create_from_url(client, id, name, url)  # type: ignore[attr-defined]
        if path:
            return cls.create_from_file(client, id, name, path)  # type: ignore[attr-defined]
        return cls.create_from_objects(client, id, name, labels)  # type: ignore[attr-defined]


def _node_or_import(cls: Any, client: Client, node: Mapping[str, Any], as_json: bool) -> Any:
    """`from_name(..., as_json=True)` answers the import's fields as read, as the SDK does."""
    return dict(node) if as_json else cls._from_node(client, node)


@define(eq=False)
class MEAPredictionImport(_Creatable, AnnotationImport):
    """Predictions imported into a model run (Model Error Analysis)."""

    model_run_id: str = ""
    kind: ClassVar[str] = "MEAPredictionImport"

    @classmethod
    def _fields(cls, node: Mapping[str, Any]) -> dict[str, Any]:
        return {**super()._fields(node), "model_run_id": node["modelRunId"]}

    @property
    def parent_id(self) -> str:
        """The model run the predictions went into (a project import's parent is its project)."""
        return self.model_run_id

    def _fetch(self) -> Mapping[str, Any]:
        return _get_mea(self.client, self.model_run_id, self.name)

    @classmethod
    def from_name(cls, client: Client, model_run_id: str, name: str, as_json: bool = False) -> Any:
        return _node_or_import(cls, client, _get_mea(client, model_run_id, name), as_json)

    # -- creation: the four kinds of input ------------------------------------------------------------
    @classmethod
    def create_from_any(cls, client: Client, model_run_id: str, name: str, predictions: Any) -> MEAPredictionImport:
        """From a local NDJSON file path, an http(s) URL, or an iterable of dicts or Labels."""
        if isinstance(predictions, (str, Path)):
            if os.path.exists(predictions):
                return cls.create_from_file(client, model_run_id, name, predictions)
            if isinstance(predictions, str) and urlsplit(predictions).scheme in ("http", "https"):
                return cls.create_from_url(client, model_run_id, name, predictions)
            raise ValueError(f"predictions {str(predictions)!r} is neither an existing file nor an http(s) URL")
        if isinstance(predictions, Iterable) and not isinstance(predictions, (bytes, Mapping)):
            return cls.create_from_objects(client, model_run_id, name, predictions)
        raise ValueError(f"Invalid predictions given of type: {type(predictions)}")

    @classmethod
    def create_from_file(cls, client: Client, model_run_id: str, name: str, path: str | Path) -> MEAPredictionImport:
        """Uploads the file as it is; the server validates its rows."""
        content = Path(path).read_bytes()
        return cls._upload(client, model_run_id, name, content)

    @classmethod
    def create_from_url(cls, client: Client, model_run_id: str, name: str, url: str) -> MEAPredictionImport:
        """The server reads the NDJSON at `url` itself."""
        data = client.execute(docs.CREATE_MEA_IMPORT_BY_URL, {"fileUrl": url, "modelRunId": model_run_id,
                                                              "name": name}, raise_return_resource_not_found=True)
        return cls._from_node(client, data["createModelErrorAnalysisPredictionImport"])

    @classmethod
    def create_from_objects(cls, client: Client, model_run_id: str, name: str,
                            predictions: Iterable[dict[str, Any] | Label]) -> MEAPredictionImport:
        """Dicts go as they are, Labels as the rows they convert to; both are checked before the upload."""
        # Label types and their serialiser load here, on first use: they are a tenth of `import labelbox_lite`
        from . import ndjson
        from .types import Label

        rows: list[Any] = []
        for item in predictions:
            if isinstance(item, Label):
                rows.extend(ndjson.label_to_ndjson(item))
            else:
                rows.append(item)
        if not rows:
            raise ValueError("predictions is empty: give at least one prediction")
        ndjson.check_rows(rows)
        return cls._upload(client, model_run_id, name, encode_rows(rows))

    @classmethod
    def _upload(cls, client: Client, model_run_id: str, name: str, content: bytes) -> MEAPredictionImport:
        filename = f"{model_run_id}__{name}.ndjson"
        data = client.execute(
            docs.CREATE_MEA_IMPORT_BY_FILE,
            {"file": None, "contentLength": len(content), "modelRunId": model_run_id, "name": name},
            files={"file": (filename, content, NDJSON_CONTENT_TYPE)},
            raise_return_resource_not_found=True,
        )
        return cls._from_node(client, data["createModelErrorAnalysisPredictionImport"])


_Q = TypeVar("_Q", bound="_ProjectImport")


@define(eq=False)
class _InProject(AnnotationImport):
    """An import whose rows land in a project; read back by the project and its name."""

    project_id: str = ""
    _project_node: dict[str, Any] = field(factory=dict, repr=False, alias="project_node")
    read_by_name: ClassVar[str] = ""
    read_key: ClassVar[str] = ""

    @classmethod
    def _fields(cls, node: Mapping[str, Any]) -> dict[str, Any]:
        return {**super()._fields(node), "project_id": node["project"]["id"], "project_node": dict(node["project"])}

    @property
    def parent_id(self) -> str:
        return self.project_id

    def _fetch(self) -> Mapping[str, Any]:
        return self.client._get_one(self.read_by_name, {"projectId": self.project_id, "name": self.name},
                                    self.read_key, self.kind)

    def project(self) -> Project:
        from .project import Project

        return Project.from_api(self.client, self._project_node)

    @classmethod
    def from_name(cls, client: Client, project_id: str, name: str, as_json: bool = False) -> Any:
        node = client._get_one(cls.read_by_name, {"projectId": project_id, "name": name}, cls.read_key, cls.kind)
        return _node_or_import(cls, client, node, as_json)


@define(eq=False)
class MEAToMALPredictionImport(_InProject):
    """A model run's predictions sent to a project as pre-labels (model-assisted labelling)."""

    kind: ClassVar[str] = "MEAToMALPredictionImport"
    read_by_name: ClassVar[str] = docs.GET_MAL_IMPORT
    read_key: ClassVar[str] = "meaToMalPredictionImport"

    @classmethod
    def create_for_model_run_data_rows(cls, client: Client, model_run_id: str, data_row_ids: list[str],
                                       project_id: str, name: str) -> MEAToMALPredictionImport:
        """Sends the run's predictions on `data_row_ids` to the project; the rows must be in the project."""
        if not data_row_ids:
            raise ValueError("data_row_ids is empty")
        data = client.execute(
            docs.CREATE_MAL_IMPORT_FOR_MODEL_RUN_ROWS,
            {"dataRowIds": list(data_row_ids), "modelRunId": model_run_id, "projectId": project_id, "name": name},
            raise_return_resource_not_found=True,
        )
        return cls._from_node(client, data["createMalPredictionImportForModelRunDataRows"])


def _get_mea(client: Client, model_run_id: str, name: str) -> Mapping[str, Any]:
    return client._get_one(docs.GET_MEA_IMPORT, {"modelRunId": model_run_id, "name": name},
                           "modelErrorAnalysisPredictionImport", "MEAPredictionImport")


# -- imports into a project: ground truth (LabelImport) and pre-labels (MALPredictionImport) ----------

@define(eq=False)
class _ProjectImport(_Creatable, _InProject):
    """An import a client creates in a project from a file, a URL or objects; checked row by row as
    predictions are."""

    create_by_file: ClassVar[str] = ""
    create_by_url: ClassVar[str] = ""
    answer_key: ClassVar[str] = ""

    @classmethod
    def create_from_file(cls: type[_Q], client: Client, project_id: str, name: str, path: str | Path) -> _Q:
        if not os.path.exists(path):
            raise ValueError(f"File {path} is not accessible")
        return cls._upload(client, project_id, name, Path(path).read_bytes())

    @classmethod
    def create_from_url(cls: type[_Q], client: Client, project_id: str, name: str, url: str) -> _Q:
        data = client.execute(cls.create_by_url, {"fileUrl": url, "projectId": project_id, "name": name},
                              raise_return_resource_not_found=True)
        return cls._from_node(client, data[cls.answer_key])

    @classmethod
    def create_from_objects(cls: type[_Q], client: Client, project_id: str, name: str,
                            labels: Iterable[dict[str, Any] | Label]) -> _Q:
        from . import ndjson
        from .types import Label

        rows: list[Any] = []
        for item in labels:
            rows.extend(ndjson.label_to_ndjson(item) if isinstance(item, Label) else [item])
        if not rows:
            raise ValueError("labels is empty: give at least one annotation")
        ndjson.check_rows(rows)
        return cls._upload(client, project_id, name, ndjson.dumps(rows).encode("utf-8"))

    @classmethod
    def _upload(cls: type[_Q], client: Client, project_id: str, name: str, content: bytes) -> _Q:
        data = client.execute(
            cls.create_by_file,
            {"file": None, "contentLength": len(content), "projectId": project_id, "name": name},
            files={"file": (f"{project_id}__{name}.ndjson", content, NDJSON_CONTENT_TYPE)},
            raise_return_resource_not_found=True,
        )
        return cls._from_node(client, data[cls.answer_key])


@define(eq=False)
class LabelImport(_ProjectImport):
    """Ground-truth labels imported into a project: each data row's accepted rows become one label."""

    kind: ClassVar[str] = "LabelImport"
    create_by_file: ClassVar[str] = docs.CREATE_LABEL_IMPORT_BY_FILE
    create_by_url: ClassVar[str] = docs.CREATE_LABEL_IMPORT_BY_URL
    read_by_name: ClassVar[str] = docs.GET_LABEL_IMPORT
    answer_key: ClassVar[str] = "createLabelImport"
    read_key: ClassVar[str] = "labelImport"


@define(eq=False)
class MALPredictionImport(_ProjectImport):
    """Pre-labels (model-assisted labelling) imported into a project."""

    kind: ClassVar[str] = "MALPredictionImport"
    create_by_file: ClassVar[str] = docs.CREATE_MAL_IMPORT_BY_FILE
    create_by_url: ClassVar[str] = docs.CREATE_MAL_IMPORT_BY_URL
    read_by_name: ClassVar[str] = docs.GET_MAL_PROJECT_IMPORT
    answer_key: ClassVar[str] = "createModelAssistedLabelingPredictionImport"
    read_key: ClassVar[str] = "modelAssistedLabelingPredictionImport"

    def delete(self) -> None:
        """Deletes the import (its pre-labels stay); like the SDK, an import already gone is no error."""
        self.client.execute(docs.DELETE_MAL_PROJECT_IMPORT, {"id": self.uid})
        self.deleted = True

    @classmethod
    def create_from_objects(cls, client: Client, project_id: str, name: str,
                            predictions: Iterable[dict[str, Any] | Label]) -> MALPredictionImport:
        """Pre-labels from NDJSON dicts or Labels (the SDK names them `predictions` here)."""
        return super().create_from_objects(client, project_id, name, predictions)
