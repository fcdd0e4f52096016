"""Every public name of labelbox_lite, next to the SDK path scripts import it from; both must import.

The names come from the package's public-name registry (`_PUBLIC`, which `__all__` lists), so a name added later without
an entry here fails `test_every_public_name_has_an_sdk_path` until someone writes down its path.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite import types as lite_types

# public name -> "module" or "module:qualified.name" in the SDK (labelbox 7.17.0), the path its docs
# and examples import from; None for labelbox_lite's own names, which the SDK does not have
SDK_PATHS: dict[str, str | None] = {
    "AnnotationImportState": "labelbox.schema.annotation_import",
    "Batch": "labelbox.schema.batch",
    "BufferedJsonConverterOutput": "labelbox.schema.export_task",
    "BufferedStream": "labelbox.schema.export_task",
    "Classification": "labelbox.schema.tool_building.classification",
    "Client": "labelbox.client",
    "ConflictResolutionStrategy": "labelbox.schema.conflict_resolution_strategy",
    "DataRow": "labelbox.schema.data_row",
    "DataRowIds": "labelbox.schema.identifiables",
    "DataSplit": "labelbox.schema.model_run",
    "ExportTask": "labelbox.schema.export_task",
    "ExportTaskException": "labelbox.schema.export_task:ExportTask.ExportTaskException",
    "GlobalKeys": "labelbox.schema.identifiables",
    "Label": "labelbox.schema.label",
    "LabelingFrontend": "labelbox.schema.labeling_frontend",
    "MEAPredictionImport": "labelbox.schema.annotation_import",
    "MEAToMALPredictionImport": "labelbox.schema.annotation_import",
    "MediaType": "labelbox.schema.media_type",
    "Model": "labelbox.schema.model",
    "ModelRun": "labelbox.schema.model_run",
    "ModelRunDataRow": "labelbox.schema.model_run",
    "ModelRunExportParams": "labelbox.schema.export_params",
    "ModelSlice": "labelbox.schema.slice",
    "Ontology": "labelbox.schema.ontology",
    "OntologyBuilder": "labelbox.schema.ontology",
    "Option": "labelbox.schema.tool_building.classification",
    "Organization": "labelbox.schema.organization",
    "PaginatedCollection": "labelbox.pagination",
    "Poller": None,
    "Project": "labelbox.schema.project",
    "RetryPolicy": None,
    "SendToAnnotateFromModelParams": "labelbox.schema.send_to_annotate_params",
    "StreamType": "labelbox.schema.export_task",
    "Task": "labelbox.schema.task",
    "TaskQueue": "labelbox.schema.task_queue",
    "TaskStatus": "labelbox.schema.taskstatus",
    "Tool": "labelbox.schema.ontology",
    "UniqueIds": "labelbox.schema.identifiables",
    "UnknownExportParamWarning": None,
    "User": "labelbox.schema.user",
    # catalog
    "AssetAttachment": "labelbox.schema.asset_attachment",
    "CatalogExportParams": "labelbox.schema.export_params",
    "DataRowUpsertItem": "labelbox.schema.internal.data_row_upsert_item",
    "DataUpsertTask": "labelbox.schema.task",
    "Dataset": "labelbox.schema.dataset",
    "GlobalKey": "labelbox.schema.identifiable",
    "LabelImport": "labelbox.schema.annotation_import",
    "MALPredictionImport": "labelbox.schema.annotation_import",
    "ProjectExportParams": "labelbox.schema.export_params",
    "UniqueId": "labelbox.schema.identifiable",
    "DataRowMetadataKind": "labelbox.schema.data_row_metadata",
    "DataRowMetadataOntology": "labelbox.schema.data_row_metadata",
    "DataRowMetadataSchema": "labelbox.schema.data_row_metadata",
    "__version__": "labelbox",
    "exceptions": "lbox.exceptions",  # a module: the SDK's exception classes live there
    "types": "labelbox.types",  # a module
}
MODULE_NAMES = {"exceptions", "types"}
ANNOTATION_TYPES = "labelbox.data.annotation_types"


def _public_names() -> list[str]:
    return sorted(lb.__all__)


def _lite_module(sdk_module: str) -> str:
    """labelbox.schema.x -> labelbox_lite.schema.x; lbox.exceptions -> labelbox_lite.exceptions."""
    if sdk_module == "lbox.exceptions":
        return "labelbox_lite.exceptions"
    head, _, rest = sdk_module.partition(".")
    assert head == "labelbox", sdk_module
    return "labelbox_lite" + (f".{rest}" if rest else "")


def _resolve(module: str, qualname: str) -> Any:
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def _split(name: str, path: str) -> tuple[str, str]:
    module, _, qualname = path.partition(":")
    return module, qualname or name


def test_every_public_name_has_an_sdk_path() -> None:
    missing = sorted(set(_public_names()) - set(SDK_PATHS))
    assert not missing, f"public names without an SDK path entry in {__name__}.SDK_PATHS: {missing}"
    stale = sorted(set(SDK_PATHS) - set(_public_names()))
    assert not stale, f"SDK_PATHS names that labelbox_lite no longer has: {stale}"


@pytest.mark.parametrize("name", sorted(n for n, p in SDK_PATHS.items() if p is not None))
def test_each_name_imports_from_the_sdk_path_in_labelbox_lite(name: str) -> None:
    module, qualname = _split(name, SDK_PATHS[name] or "")
    ours = getattr(lb, name)
    if name in MODULE_NAMES:
        assert importlib.import_module(_lite_module(module)) is ours
    else:
        assert _resolve(_lite_module(module), qualname) is ours


@pytest.mark.parametrize("name", lite_types.__all__)
def test_annotation_types_import_from_the_sdk_path(name: str) -> None:
    assert _resolve(_lite_module(ANNOTATION_TYPES), name) is getattr(lite_types, name)


def test_the_sdk_has_each_name_at_that_path() -> None:
    pytest.importorskip("labelbox")
    if importlib.util.find_spec("numpy") is None:  # `tox -e bench` installs labelbox without its data extra
        pytest.skip("labelbox.types and its annotation types need the SDK's data extra, which is not installed here")
    absent = []
    for name, path in sorted(SDK_PATHS.items()):
        if path is None:
            continue
        module, qualname = _split(name, path)
        try:
            found = importlib.import_module(module) if name in MODULE_NAMES else _resolve(module, qualname)
        except (ImportError, AttributeError) as error:
            absent.append(f"{name} at {path}: {error}")
            continue
        assert name in MODULE_NAMES or not isinstance(found, ModuleType), name
    for name in lite_types.__all__:
        try:
            _resolve(ANNOTATION_TYPES, name)
        except AttributeError as error:
            absent.append(f"{name} at {ANNOTATION_TYPES}: {error}")
    assert not absent, absent


def test_the_sdk_paths_cost_nothing_at_import() -> None:
    import json
    import subprocess
    import sys

    code = ("import json, sys\nimport labelbox_lite\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('labelbox_lite.schema', "
            "'labelbox_lite.data')))))\n")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(completed.stdout) == []
