"""Ontologies: the builder classes (Tool, Classification, Option, OntologyBuilder) and the Ontology entity.

The builder's `asdict()` is the normalized JSON `Client.create_ontology` sends; an
Ontology read back carries the same tree with every node's `featureSchemaId`
and `schemaNodeId`. Classifications nest under tools and under options, to any depth.
"""

from __future__ import annotations

import colorsys
import uuid
import warnings
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from .comparison import Field, queryable
from .entity import Entity
from .exceptions import InconsistentOntologyException
from .fields import parse_datetime
from .media_type import MediaType
from .pagination import PaginatedCollection

if TYPE_CHECKING:
    from .client import Client
    from .project import Project
    from .user import User


@define
class Option:
    """A possible answer of a radio or checklist question; `options` are the questions it asks next."""

    value: str | int
    label: str | int | None = None
    schema_id: str | None = None
    feature_schema_id: str | None = None
    options: list[Classification] = field(factory=list)
    position: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.label is None:
            self.label = self.value

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> Option:
        data = dictionary
        return cls(value=data["value"], label=data.get("label"), schema_id=data.get("schemaNodeId"),
                   feature_schema_id=data.get("featureSchemaId"),
                   options=[Classification.from_dict(c) for c in data.get("options", [])],
                   position=data.get("position"))

    def asdict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "schemaNodeId": self.schema_id, "featureSchemaId": self.feature_schema_id, "label": self.label,
            "value": self.value, "options": [c.asdict(is_subclass=True) for c in self.options],
        }
        if self.position is not None:
            result["position"] = self.position
        return result

    def add_option(self, option: Classification) -> None:
        """Nests a question under this option."""
        if option.name in (c.name for c in self.options):
            raise InconsistentOntologyException(
                f"Duplicate nested classification '{option.name}' for option '{self.label}'")
        self.options.append(option)


@define
class FeatureSchemaAttribute:
    """A name/value pair on a tool or classification (beta in Labelbox: creating one warns)."""

    attributeName: str  # noqa: N815 - the SDK's (and the API's) spelling
    attributeValue: str  # noqa: N815

    def asdict(self) -> dict[str, Any]:
        return {"attributeName": self.attributeName, "attributeValue": self.attributeValue}

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> FeatureSchemaAttribute:
        return cls(attributeName=dictionary["attributeName"], attributeValue=dictionary["attributeValue"])


def _attributes(dictionary: dict[str, Any]) -> list[FeatureSchemaAttribute] | None:
    given = dictionary.get("attributes")
    return [FeatureSchemaAttribute.from_dict(a) for a in given] if given else None


def _warn_beta(kind: str, attributes: list[FeatureSchemaAttribute] | None) -> None:
    if attributes is not None:
        warnings.warn(f"The attributes for {kind} are in beta. The attribute name and signature may change in the "
                      "future.", UserWarning, stacklevel=4)


@define
class Classification:
    """A question: radio (one option), checklist (several) or text."""

    class Type(Enum):
        TEXT = "text"
        CHECKLIST = "checklist"
        RADIO = "radio"

    class Scope(Enum):
        GLOBAL = "global"
        INDEX = "index"

    class UIMode(Enum):
        HOTKEY = "hotkey"
        SEARCHABLE = "searchable"

    class_type: Classification.Type
    name: str | None = None
    instructions: str | None = None
    required: bool = False
    options: list[Option] = field(factory=list)
    schema_id: str | None = None
    feature_schema_id: str | None = None
    scope: Classification.Scope | None = None
    ui_mode: Classification.UIMode | None = None
    attributes: list[FeatureSchemaAttribute] | None = None
    is_likert_scale: bool = False

    def __attrs_post_init__(self) -> None:
        _warn_beta("Classifications", self.attributes)
        if self.name is None:
            if self.instructions is None:
                raise ValueError('a Classification needs a "name" (the name annotations use to refer to it)')
            self.name = self.instructions
        elif self.instructions is None:
            self.instructions = self.name

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> Classification:
        data = dictionary
        return cls(
            class_type=cls.Type(data["type"]), name=data["name"], instructions=data.get("instructions"),
            required=data.get("required", False), options=[Option.from_dict(o) for o in data.get("options", [])],
            schema_id=data.get("schemaNodeId"), feature_schema_id=data.get("featureSchemaId"),
            scope=cls.Scope(data.get("scope", "global")),
            ui_mode=cls.UIMode(data["uiMode"]) if data.get("uiMode") else None,
            attributes=_attributes(data), is_likert_scale=data.get("isLikertScale", False),
        )

    def asdict(self, is_subclass: bool = False) -> dict[str, Any]:
        """The normalized JSON of this question; nested ones (`is_subclass`) carry no scope."""
        if self.class_type in (self.Type.RADIO, self.Type.CHECKLIST) and not self.options:
            raise InconsistentOntologyException(f"Classification '{self.name}' requires options.")
        result: dict[str, Any] = {
            "type": self.class_type.value, "instructions": self.instructions, "name": self.name,
            "required": self.required, "options": [o.asdict() for o in self.options],
            "schemaNodeId": self.schema_id, "featureSchemaId": self.feature_schema_id,
            "attributes": None if self.attributes is None else [a.asdict() for a in self.attributes],
        }
        if self.class_type == self.Type.RADIO and self.is_likert_scale:  # a scale only a radio can be
            result["isLikertScale"] = True
        if self.class_type in (self.Type.RADIO, self.Type.CHECKLIST) and self.ui_mode:
            result["uiMode"] = self.ui_mode.value
        if not is_subclass:
            result["scope"] = (self.scope or self.Scope.GLOBAL).value
        return result

    def add_option(self, option: Option) -> None:
        if option.value in (o.value for o in self.options):
            raise InconsistentOntologyException(f"Duplicate option '{option.value}' for classification '{self.name}'.")
        if option.position is None:
            option.position = len(self.options)
        self.options.append(option)


class OntologyKind(Enum):
    """What an ontology is for; ModelEvaluation is a chat-evaluation ontology (media type Conversational)."""

    ModelEvaluation = "MODEL_EVALUATION"
    Missing = None

    @classmethod
    def is_supported(cls, value: object) -> bool:
        return isinstance(value, cls)


class EditorTaskType(str, Enum):
    """A project's (or ontology's) editor task type, as the SDK reads it; Missing for an ordinary project."""

    ModelChatEvaluation = "MODEL_CHAT_EVALUATION"
    OfflineModelChatEvaluation = "OFFLINE_MODEL_CHAT_EVALUATION"
    Missing = None  # the SDK's member for a null (a str enum makes its value "None")

    @classmethod
    def is_supported(cls, value: object) -> bool:
        return isinstance(value, cls)

    @classmethod
    def _missing_(cls, value: object) -> EditorTaskType:
        # the API's upper-case name of a member, else Missing (a type this client does not know), as in the SDK
        return next((member for name, member in cls.__members__.items() if value == name.upper()), cls.Missing)


class UploadType(Enum):
    """How a project's data rows came: Auto (generated) or Manual; Missing when the API has none."""

    # the SDK's values are one-element tuples (its trailing commas); kept, so `.value` compares alike
    Auto = ("AUTO",)
    Manual = ("MANUAL",)
    Missing = None

    @classmethod
    def is_supported(cls, value: object) -> bool:
        return isinstance(value, cls)

    @classmethod
    def _missing_(cls, value: object) -> UploadType:
        return next((member for name, member in cls.__members__.items() if value == name.upper()), cls.Missing)


# the editor task type an ontology kind is sent as, with the one media type it takes
_EDITOR_TASK_TYPES = {OntologyKind.ModelEvaluation: ("MODEL_CHAT_EVALUATION", "CONVERSATIONAL")}


def editor_task_type(kind: OntologyKind | None, media_type: MediaType | None) -> tuple[str | None, MediaType | None]:
    """(editorTaskType to send, the media type then) for `create_ontology(ontology_kind=...)`; the SDK's checks."""
    if kind is None or kind is OntologyKind.Missing:
        return None, media_type
    if not OntologyKind.is_supported(kind):
        raise TypeError(f"{kind}: is not a valid ontology kind. Use any of {OntologyKind.__members__.items()} "
                        "from OntologyKind.")
    task_type, media = _EDITOR_TASK_TYPES[kind]
    if media_type is not None and media_type.value != media:
        raise ValueError("For chat evaluation, media_type must be Conversational.")
    return task_type, MediaType(media)


@define
class Tool:
    """A drawing tool; `classifications` are asked about each object drawn with it."""

    class Type(Enum):
        POLYGON = "polygon"
        SEGMENTATION = "superpixel"
        RASTER_SEGMENTATION = "raster-segmentation"
        POINT = "point"
        BBOX = "rectangle"
        LINE = "line"
        NER = "named-entity"
        RELATIONSHIP = "edge"
        MESSAGE_SINGLE_SELECTION = "message-single-selection"
        MESSAGE_MULTI_SELECTION = "message-multi-selection"
        MESSAGE_RANKING = "message-ranking"
        MARKER = "marker"

    tool: Tool.Type
    name: str
    required: bool = False
    color: str | None = None
    classifications: list[Classification] = field(factory=list)
    schema_id: str | None = None
    feature_schema_id: str | None = None
    attributes: list[FeatureSchemaAttribute] | None = None

    def __attrs_post_init__(self) -> None:
        _warn_beta("Tools", self.attributes)

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> Tool:
        data = dictionary
        if data["tool"] == cls.Type.RELATIONSHIP.value and cls is Tool:
            return RelationshipTool.from_dict(data)
        return cls(tool=cls.Type(data["tool"]), name=data["name"], required=data.get("required", False),
                   color=data.get("color"),
                   classifications=[Classification.from_dict(c) for c in data.get("classifications", [])],
                   schema_id=data.get("schemaNodeId"), feature_schema_id=data.get("featureSchemaId"),
                   attributes=_attributes(data))

    def asdict(self) -> dict[str, Any]:
        return {
            "tool": self.tool.value, "name": self.name, "required": self.required, "color": self.color,
            "classifications": [c.asdict(is_subclass=True) for c in self.classifications],
            "schemaNodeId": self.schema_id, "featureSchemaId": self.feature_schema_id,
            "attributes": None if self.attributes is None else [a.asdict() for a in self.attributes],
        }

    def add_classification(self, classification: Classification) -> None:
        if classification.name in (c.name for c in self.classifications):
            raise InconsistentOntologyException(
                f"Duplicate nested classification '{classification.name}' for tool '{self.name}'")
        self.classifications.append(classification)


@define(init=False)
class RelationshipTool(Tool):
    """A relationship (`edge`) tool; `constraints` are the (start, end) feature schema ids it may join
    (None: any two objects). `add_constraint` gives tools without ids placeholder ones, which
    ontology creation replaces with real ids, the constraints following."""

    constraints: list[tuple[str, str]] | None = None

    def __init__(self, name: str, constraints: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        self.__attrs_init__(tool=Tool.Type.RELATIONSHIP, name=name, constraints=constraints,
                            **kwargs)

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> RelationshipTool:
        data = dictionary
        constraints = (data.get("definition") or {}).get("constraints")
        return cls(name=data["name"], required=data.get("required", False), color=data.get("color"),
                   classifications=[Classification.from_dict(c) for c in data.get("classifications", [])],
                   schema_id=data.get("schemaNodeId"), feature_schema_id=data.get("featureSchemaId"),
                   constraints=[(start, end) for start, end in constraints] if constraints is not None else None,
                   attributes=_attributes(data))

    def asdict(self) -> dict[str, Any]:
        result = super().asdict()
        if self.constraints is not None:
            result["definition"] = {"constraints": self.constraints}
        return result

    def add_constraint(self, start: Tool, end: Tool) -> None:
        for tool in (start, end):
            if tool.feature_schema_id is None:
                tool.feature_schema_id = str(uuid.uuid4())
            if tool.schema_id is None:
                tool.schema_id = str(uuid.uuid4())
        assert start.feature_schema_id is not None and end.feature_schema_id is not None
        if self.constraints is None:
            self.constraints = []
        self.constraints.append((start.feature_schema_id, end.feature_schema_id))

    def set_constraints(self, constraints: list[tuple[Tool, Tool]]) -> None:
        self.constraints = []
        for start, end in constraints:
            self.add_constraint(start, end)


# what create_ontology_from_feature_schemas accepts as a feature schema's `tool` and `type`
TOOL_TYPES = frozenset(t.value for t in Tool.Type) | {"step-reasoning", "fact-checking", "prompt-issue"}
CLASSIFICATION_TYPES = frozenset(t.value for t in Classification.Type) | {
    "prompt", "response-text", "response-checklist", "response-radio"}


@define
class OntologyBuilder:
    """Builds an ontology's normalized JSON; `from_ontology`/`from_project` start from an existing one."""

    tools: list[Tool] = field(factory=list)
    classifications: list[Classification] = field(factory=list)

    @classmethod
    def from_dict(cls, dictionary: dict[str, Any]) -> OntologyBuilder:
        data = dictionary
        return cls(tools=[Tool.from_dict(t) for t in data["tools"]],
                   classifications=[Classification.from_dict(c) for c in data["classifications"]])

    @classmethod
    def from_ontology(cls, ontology: Ontology) -> OntologyBuilder:
        return cls.from_dict(ontology.normalized)

    @classmethod
    def from_project(cls, project: Project) -> OntologyBuilder:
        ontology = project.ontology()
        if ontology is None:
            raise ValueError(f"project {project.uid} has no ontology")
        return cls.from_dict(ontology.normalized)

    def asdict(self) -> dict[str, Any]:
        """Tools without a colour get one, spread around the hue circle, as the SDK does."""
        for index, tool in enumerate(self.tools):
            if tool.color is None:
                red, green, blue = (int(255 * x) for x in colorsys.hsv_to_rgb(index / len(self.tools), 1, 1))
                tool.color = f"#{red:02x}{green:02x}{blue:02x}"
        return {"tools": [t.asdict() for t in self.tools],
                "classifications": [c.asdict() for c in self.classifications]}

    def add_tool(self, tool: Tool) -> None:
        if tool.name in (t.name for t in self.tools):
            raise InconsistentOntologyException(f"Duplicate tool name '{tool.name}'. ")
        self.tools.append(tool)

    def add_classification(self, classification: Classification) -> None:
        if classification.name in (c.name for c in self.classifications):
            raise InconsistentOntologyException(f"Duplicate classification name '{classification.name}'. ")
        self.classifications.append(classification)


@queryable(uid="id", deleted="deleted")
class Ontology(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: str
    description: str | None
    normalized: dict[str, Any] = field(repr=False)
    object_schema_count: int
    classification_schema_count: int
    media_type: MediaType  # MediaType.Unknown when the ontology has none, as the SDK reads a null
    created_at: datetime | None
    updated_at: datetime | None
    deleted: Field[bool] = field(default=False)  # an ontology read from the API is not deleted; the class attribute filters

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Ontology:
        return cls(
            client=client, uid=data["id"], name=data["name"], description=data.get("description"),
            normalized=data["normalized"], object_schema_count=int(data.get("objectSchemaCount") or 0),
            classification_schema_count=int(data.get("classificationSchemaCount") or 0),
            media_type=MediaType(data.get("mediaType")),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
        )

    def tools(self) -> list[Tool]:
        return [Tool.from_dict(tool) for tool in self.normalized["tools"]]

    def created_by(self) -> User | None:
        """Who created the ontology (None for one Labelbox or another organisation's user made)."""
        data = self.client.execute(docs.GET_ONTOLOGY_CREATED_BY, {"param_0": self.uid},
                                   raise_return_resource_not_found=True)
        node = data["ontology"]["createdBy"]
        return None if node is None else self.client._user(node)

    def projects(self, where: Any = None) -> PaginatedCollection[Project]:
        """The projects connected to the ontology, deleted ones left out (as the SDK leaves them out), or those
        `where` selects (`lb.Project.name == "a"`)."""
        return self.client._projects_of(docs.GET_ONTOLOGY_PROJECTS, self.uid, "ontology", where, not_deleted=True)

    def classifications(self) -> list[Classification]:
        return [Classification.from_dict(c) for c in self.normalized["classifications"]]
