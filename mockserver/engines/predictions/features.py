"""An ontology's features as a prediction row names them: by name or schemaId, with what each takes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from ...state.ontologies import RELATIONSHIP
from ...state.records import TOOL_GEOMETRY, Classification, Ontology, Tool
from .values import short

GEOMETRY_KEYS = tuple(TOOL_GEOMETRY.values())
ANSWER_KEYS = ("answer", "answers")


@frozen
class Feature:
    schema_id: str
    name: str
    kind: str  # a tool kind, or radio | checklist | text
    is_tool: bool
    geometry_key: str | None = None  # where a tool's geometry goes
    forbidden: frozenset[str] = frozenset()  # keys a row of this feature must not carry
    option_ids: Mapping[str, str] = field(factory=dict)  # option value -> schema id
    option_values: Mapping[str, str] = field(factory=dict)  # option schema id -> value
    nested: FeatureIndex | None = None  # a tool's nested classifications
    option_nested: Mapping[str, FeatureIndex] = field(factory=dict)  # option schema id -> its nested classifications
    # a relationship tool's allowed (source, target) feature schema ids; None: any two objects
    constraints: frozenset[tuple[str, str]] | None = None


class FeatureIndex:
    """Features by name and by schema id: an ontology's top level, or the classifications nested in one node."""

    def __init__(self, ontology: Ontology | None = None, *, nodes: Iterable[Tool | Classification] = (),
                 scope: str = "") -> None:
        self.scope = f"in ontology {ontology.name!r}" if ontology is not None else scope
        self.what = "feature" if ontology is not None else "nested classification"
        self.by_name: dict[str, Feature] = {}
        self.by_id: dict[str, Feature] = {}
        for item in ontology.features() if ontology is not None else nodes:
            feature = _feature(item)
            self.by_name[feature.name] = feature
            self.by_id[feature.schema_id] = feature

    def resolve(self, name: Any, schema_id: Any) -> Feature | str:
        """The feature a row names, or a message saying why there is none."""
        if name is None and schema_id is None:
            return f"name: a prediction needs a {self.what} name or a schemaId"
        by_name = by_id = None
        if name is not None:
            by_name = self.by_name.get(name) if isinstance(name, str) else None
            if by_name is None:
                return f"name: no {self.what} named {short(name)} {self.scope}"
        if schema_id is not None:
            by_id = self.by_id.get(schema_id) if isinstance(schema_id, str) else None
            if by_id is None:
                return f"schemaId: no {self.what} with schemaId {short(schema_id)} {self.scope}"
        if by_name is not None and by_id is not None and by_name is not by_id:
            return f"schemaId: {schema_id!r} is feature {by_id.name!r}, but name says {name!r}"
        return by_name or by_id  # type: ignore[return-value]


def _feature(item: Tool | Classification) -> Feature:
    if isinstance(item, Tool):
        expected = TOOL_GEOMETRY.get(item.tool)  # None: a tool without geometry (a relationship, a chat tool)
        nested = (FeatureIndex(nodes=item.classifications, scope=f"under tool {item.name!r}")
                  if item.classifications else None)
        constraints = (item.definition or {}).get("constraints") if item.tool == RELATIONSHIP else None
        return Feature(schema_id=item.feature_schema_id, name=item.name, kind=item.tool, is_tool=True,
                       geometry_key=expected, forbidden=frozenset(GEOMETRY_KEYS + ANSWER_KEYS) - {expected},
                       nested=nested,
                       constraints=frozenset((start, end) for start, end in constraints) if constraints else None)
    return Feature(
        schema_id=item.feature_schema_id, name=item.name, kind=item.type, is_tool=False,
        forbidden=frozenset(GEOMETRY_KEYS),
        option_ids={option.value: option.feature_schema_id for option in item.options},
        option_values={option.feature_schema_id: option.value for option in item.options},
        option_nested={option.feature_schema_id: FeatureIndex(nodes=option.options,
                                                              scope=f"under option {option.value!r} of {item.name!r}")
                       for option in item.options if option.options},
    )


