"""labelbox_lite beside labelbox 7.17.0, name by name, read from the SDK's own classes and signatures.

`compare()` walks the SDK's public names (top level and `labelbox.types`). A name labelbox_lite does
not export is not ported. For a class both export, each public SDK member is present or not ported,
and each argument of an SDK method (and of its constructor) must be accepted by labelbox_lite's: the
same keyword, at the same position when the SDK's is positional. `python -m tests.contract.porting_table`
writes what is not ported into docs/porting.md and labelbox_lite/not_ported_names.py;
tests/contract/test_sdk_surface.py fails when an argument is refused or either file is stale.
"""

from __future__ import annotations

import ast
import enum
import functools
import inspect
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import labelbox
import labelbox.data.metrics as sdk_metrics
import labelbox.types as sdk_types
import pydantic

import labelbox_lite
import labelbox_lite.data.metrics as lite_metrics
import labelbox_lite.types as lite_types

# (label, SDK module, labelbox_lite module, the names labelbox_lite exports there)
SCOPES = (
    ("", labelbox, labelbox_lite, set(labelbox_lite.__all__)),
    ("types.", sdk_types, lite_types, set(lite_types.__all__)),
    ("data.metrics.", sdk_metrics, lite_metrics, set(lite_metrics.__all__)),
)

# What labelbox_lite leaves out on purpose: it is a client for model-run work and what it reads
# (ontologies, projects, datasets, data rows, label imports, exports). Everything else it does not
# port is "coming". A key is a top-level name, a `types.` name, or a word in a member's name.
OUT_OF_SCOPE_NAMES = frozenset({
    "ApiKey", "AutoQA", "AutoQaStatus", "Benchmark", "Catalog", "CatalogSlice", "Comment", "CustomScore",
    "FactCheckingTool", "GranularRating", "IAMIntegration", "ImageIssuePosition", "Invite", "InviteLimit",
    "InviteMemberStatus", "InviteResult", "Issue", "IssueCategory", "IssuePosition", "IssueStatus",
    "LabelScore", "LabelVersion", "LabelVersionAction", "LabelVersionStage", "LabelingFrontendOptions",
    "LabelingService", "LabelingServiceDashboard", "LabelingServiceStatus", "ModelConfig", "PdfIssuePosition",
    "PerformanceCursorRows", "PerformanceDeletedLabels", "PerformanceInterval", "PerformanceMemberType",
    "PerformanceMetric", "PerformanceMetricSeries", "PerformanceReportDownload", "PerformanceRows",
    "PerformanceScoreBucket", "PerformanceTableChangedError", "PerformanceTimeBucket",
    "ProjectLabelerPerformance", "ProjectModelConfig", "ProjectOverview", "ProjectOverviewDetailed",
    "ProjectResourceTag", "ProjectReviewerPerformance", "ProjectRole", "ProjectSyncEntry", "ProjectSyncLabel",
    "ProjectSyncResult", "ProjectSyncReview", "ProjectWorkflow", "PromptIssueTool",
    "PromptResponseClassification", "ResourceTag", "ResponseOption", "Review", "ReviewedBy", "Role",
    "SignInEndReason", "SignInEvent", "SignInEventRows", "SignInEventType", "SignInSession",
    "SignInSessionStatus", "SignInStartKind", "StepReasoningTool", "SubmittedBy", "TaskAssignmentStatus",
    "TextIssuePosition", "TimeUnit", "UserGroupAuditActorKind", "UserGroupAuditChannel", "UserGroupAuditEvent",
    "UserGroupAuditEventType", "UserGroupRole", "VideoFrameRange", "VideoIssuePosition", "Webhook",
    "WorkspaceLabelerPerformance",
    "types.MessageEvaluationTaskAnnotation", "types.MessageInfo", "types.MessageMultiSelectionTask",
    "types.MessageRankingTask", "types.MessageSingleSelectionTask", "types.OrderedMessageInfo",
    "types.PromptClassificationAnnotation", "types.PromptText",
    "types.EPSGTransformer",  # coordinate conversion on pyproj and shapely
})
OUT_OF_SCOPE_WORDS = ("labeling_service", "iam", "webhook", "invite", "role", "performance", "sign_in",
                      "issue", "benchmark", "review", "user_group", "api_key", "embedding", "foundry",
                      "workflow", "model_config", "resource_tag", "label_score", "overview", "audit",
                      "sync", "catalog_slice", "task_queue_status", "labeler", "member", "workspace",
                      "mmc", "prompt", "autoqa", "auto_qa", "comment", "cloud", "quota",
                      # drawing and geometry helpers built on numpy, shapely, PIL and OpenCV
                      "draw", "canvas", "shapely", "np", "geometry", "fetch")

REASONS = ("out of scope", "coming")


def reason(key: str) -> str:
    if key in OUT_OF_SCOPE_NAMES:
        return "out of scope"
    member = f"_{key.rsplit('.', 1)[-1].lower()}_"
    hits = (f"_{word}_" in member or f"_{word}s_" in member for word in OUT_OF_SCOPE_WORDS)
    return "out of scope" if any(hits) else "coming"


@attrs.frozen
class Surface:
    not_ported: dict[str, str]  # "Benchmark", "types.EPSG", "Client.get_webhooks" -> reason
    refused: list[str]  # "Client.create_project(quality_modes=)": an SDK argument labelbox_lite refuses


def _sdk_names(module: types.ModuleType) -> list[str]:
    return sorted(name for name in dir(module) if not name.startswith("_") and name != "name"
                  and not isinstance(getattr(module, name), types.ModuleType))


# What every pydantic model and Python object has: not the SDK's own surface.
_BASES = frozenset(dir(pydantic.BaseModel)) | frozenset(dir(object))


def _orm_plumbing() -> frozenset[str]:
    """The SDK's ORM base: other entity classes hung on each entity, and the helpers its queries use."""
    from labelbox.orm.model import Entity
    return frozenset(name for name in vars(Entity) if name not in ("uid", "deleted"))


def _validators(cls: type[pydantic.BaseModel]) -> set[str]:
    """pydantic validators and serializers: run by pydantic when a model is built, not called by scripts."""
    decorators = cls.__pydantic_decorators__
    return {name for group in (decorators.validators, decorators.field_validators, decorators.root_validators,
                               decorators.field_serializers, decorators.model_serializers,
                               decorators.model_validators) for name in group}


def _sdk_members(cls: type) -> list[str]:
    names = set(dir(cls))
    if issubclass(cls, pydantic.BaseModel):
        names = (names | set(cls.model_fields)) - _validators(cls)
    if _sdk_entity(cls):
        names -= _orm_plumbing()
    if issubclass(cls, enum.Enum):
        names = set(cls.__members__)
    return sorted(name for name in names if not name.startswith("_") and name not in _BASES)


def _lite_has(cls: type, name: str) -> bool:
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return name in cls.__members__
    fields = {f.name for f in attrs.fields(cls)} if attrs.has(cls) else set()
    return name in fields or any(name in getattr(k, "__annotations__", {}) for k in cls.__mro__) or _static(cls, name)


def _static(cls: type, name: str) -> bool:
    return any(name in vars(k) for k in cls.__mro__) or name in _instance_attributes(cls)


@functools.cache
def _instance_attributes(cls: type) -> frozenset[str]:
    """Attributes a plain class's methods set on the instance (`self.endpoint = ...`), read from its source."""
    found: set[str] = set()
    for klass in cls.__mro__:
        if klass is object or not klass.__module__.startswith("labelbox_lite"):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError):
            continue
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AnnAssign) else []
            found.update(t.attr for t in targets if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name)
                         and t.value.id == "self")
    return frozenset(found)


def _signature(fn: Any) -> inspect.Signature | None:
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError):
        return None


def _constructor(cls: type) -> inspect.Signature | None:
    if issubclass(cls, pydantic.BaseModel):
        params = []
        # a model that takes its fields by name too (`populate_by_name`) is called with the Python names
        by_name = cls.model_config.get("populate_by_name", False)
        for name, info in cls.model_fields.items():
            default = inspect.Parameter.empty if info.is_required() else None
            keyword = name if by_name or not info.alias else info.alias
            params.append(inspect.Parameter(keyword, inspect.Parameter.KEYWORD_ONLY, default=default))
        return inspect.Signature(params)
    return _signature(cls)


def _sdk_entity(cls: type) -> bool:
    """The SDK's database objects are built by the client from a query's answer, never by a script."""
    from labelbox.orm.db_object import DbObject
    return issubclass(cls, DbObject)


def _refused(where: str, sdk_sig: inspect.Signature, lite_sig: inspect.Signature | None) -> Iterator[str]:
    if lite_sig is None:
        yield f"{where}: no signature"
        return
    param_kind = inspect.Parameter
    lite = [p for p in lite_sig.parameters.values() if p.name not in ("self", "cls")]
    lite_names = {p.name: p for p in lite if p.kind in (param_kind.POSITIONAL_OR_KEYWORD, param_kind.KEYWORD_ONLY)}
    lite_positional = [p.name for p in lite if p.kind in (param_kind.POSITIONAL_ONLY, param_kind.POSITIONAL_OR_KEYWORD)]
    takes_args = any(p.kind == param_kind.VAR_POSITIONAL for p in lite)
    takes_kwargs = any(p.kind == param_kind.VAR_KEYWORD for p in lite)
    sdk = [p for p in sdk_sig.parameters.values() if p.name not in ("self", "cls")]
    for index, param in enumerate(sdk):
        if param.kind == param_kind.VAR_POSITIONAL and not takes_args:
            yield f"{where}(*{param.name})"
        elif param.kind == param_kind.VAR_KEYWORD and not takes_kwargs:
            yield f"{where}(**{param.name})"
        elif param.kind in (param_kind.POSITIONAL_OR_KEYWORD, param_kind.KEYWORD_ONLY) and param.name not in lite_names:
            yield f"{where}({param.name}=)"
        elif param.kind in (param_kind.POSITIONAL_ONLY, param_kind.POSITIONAL_OR_KEYWORD) and (
                index >= len(lite_positional) or lite_positional[index] != param.name):
            yield f"{where}({param.name} at position {index})"
        elif param.default is param_kind.empty or param.kind in (param_kind.VAR_POSITIONAL, param_kind.VAR_KEYWORD):
            continue
        elif param.name in lite_names and lite_names[param.name].default is param_kind.empty:
            yield f"{where}({param.name}=) is required by labelbox_lite, optional in the SDK"


def _callable(value: Any) -> Callable[..., Any] | None:
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, (types.FunctionType, types.MethodType)):
        return value
    return None


def _keys(cls: type) -> set[str]:
    return {key for klass in cls.__mro__ for key in getattr(klass, "__annotations__", {})}


def _compare_class(label: str, sdk_cls: type, lite_cls: Any, out: Surface) -> None:
    if not isinstance(lite_cls, type):
        return
    if typing.is_typeddict(sdk_cls):  # a dict of arguments (export params): every key the SDK takes
        out.refused.extend(f"{label}[{key!r}]" for key in sorted(_keys(sdk_cls) - _keys(lite_cls)))
        return
    if not issubclass(sdk_cls, enum.Enum) and not _sdk_entity(sdk_cls):
        sdk_sig = _constructor(sdk_cls)
        if sdk_sig is not None:
            out.refused.extend(_refused(label, sdk_sig, _signature(lite_cls)))
    for member in _sdk_members(sdk_cls):
        key = f"{label}.{member}"
        if not _lite_has(lite_cls, member) and not hasattr(lite_cls, member):
            out.not_ported[key] = reason(key)
            continue
        sdk_fn = _callable(inspect.getattr_static(sdk_cls, member, None))
        if sdk_fn is None:
            continue
        lite_fn = _callable(inspect.getattr_static(lite_cls, member, None))
        sdk_sig = _signature(getattr(sdk_cls, member))
        if sdk_sig is None:
            continue
        lite_sig = _signature(getattr(lite_cls, member)) if lite_fn is not None else None
        if lite_fn is None and not callable(getattr(lite_cls, member, None)):
            out.refused.append(f"{key}: a method in the SDK, not callable in labelbox_lite")
            continue
        out.refused.extend(_refused(key, sdk_sig, lite_sig or _signature(getattr(lite_cls, member))))


def compare() -> Surface:
    out = Surface(not_ported={}, refused=[])
    for prefix, sdk_module, lite_module, exported in SCOPES:
        for name in _sdk_names(sdk_module):
            label = f"{prefix}{name}"
            if name not in exported:
                out.not_ported[label] = reason(label)
                continue
            sdk_value = getattr(sdk_module, name)
            if isinstance(sdk_value, type):
                _compare_class(label, sdk_value, getattr(lite_module, name), out)
    return out
