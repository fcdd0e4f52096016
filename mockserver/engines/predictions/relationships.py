"""Relationship rows: their shape as each row is read, and their ends once the whole import is read
(an end may come on a later line)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .features import ANSWER_KEYS, GEOMETRY_KEYS, Feature, FeatureIndex
from .statuses import ValidationOutcome, failure
from .values import short

RELATIONSHIP_TYPES = ("unidirectional", "bidirectional")
_RELATIONSHIP_KEYS = frozenset(("source", "target", "type", "readonly", "sourceOntologyName"))


def check_relationship(feature: Feature, row: dict[str, Any], problems: list[str]) -> None:
    """The shape of a relationship row: {source or sourceOntologyName, target, type[, readonly]}.
    Its ends are checked once the whole import is read (`link`)."""
    others = [key for key in GEOMETRY_KEYS + ANSWER_KEYS if key in row]
    if others:
        problems.append(f"{others[0]}: feature {feature.name!r} is a relationship, which takes relationship")
    value = row.get("relationship")
    if type(value) is not dict:
        problems.append(f"relationship: feature {feature.name!r} is a relationship and needs "
                        f"{{source, target, type}}, got {short(value)}")
        return
    unknown = sorted(set(value) - _RELATIONSHIP_KEYS)
    if unknown:
        problems.append(f"relationship.{unknown[0]}: not a relationship key")
    source, named = value.get("source"), value.get("sourceOntologyName")
    if (source is None) == (named is None):
        problems.append("relationship: give exactly one of source (an annotation's uuid) and sourceOntologyName")
    for key, given in (("source", source), ("sourceOntologyName", named), ("target", value.get("target"))):
        if (given is not None or key == "target") and (type(given) is not str or not given):
            problems.append(f"relationship.{key}: must be a non-empty string, got {short(given)}")
    if value.get("type") not in RELATIONSHIP_TYPES:
        problems.append(f"relationship.type: must be one of {', '.join(RELATIONSHIP_TYPES)}, "
                        f"got {short(value.get('type'))}")
    readonly = value.get("readonly")
    if readonly is not None and type(readonly) is not bool:
        problems.append(f"relationship.readonly: must be true or false, got {short(readonly)}")


def link(outcome: ValidationOutcome, relationships: list[tuple[Feature, dict[str, Any]]],
         features: FeatureIndex) -> ValidationOutcome:
    """Checks each accepted relationship's ends: objects accepted in this import on the same data
    row (the same label), of features the relationship tool's constraints allow. A relationship
    whose ends do not hold fails; everything else stands."""
    if not relationships:
        return outcome
    objects = {prediction["uuid"]: (row_id, prediction) for row_id, prediction
               in zip(outcome.row_ids, outcome.predictions, strict=True)
               if "relationship" not in prediction and type(prediction.get("uuid")) is str}
    failed: dict[int, list[str]] = {}
    for feature, prediction in relationships:
        problems = _ends(feature, prediction, objects, features)
        if problems:
            failed[id(prediction)] = problems
    if not failed:
        return outcome
    entries: list[str | dict[str, Any]] = []
    row_ids: list[str] = []
    predictions: list[dict[str, Any]] = []
    accepted = iter(zip(outcome.row_ids, outcome.predictions, strict=True))
    for entry in outcome.entries:
        if type(entry) is not str:
            entries.append(entry)
            continue
        row_id, prediction = next(accepted)
        refusal = failed.get(id(prediction))
        if refusal is None:
            entries.append(entry)
            row_ids.append(row_id)
            predictions.append(prediction)
        else:
            entries.append(failure(prediction["uuid"], prediction["dataRow"], refusal))
    return ValidationOutcome(entries, row_ids, predictions)


def _ends(feature: Feature, prediction: dict[str, Any],
          objects: Mapping[str, tuple[str, dict[str, Any]]], features: FeatureIndex) -> list[str]:
    """Why a relationship's ends do not hold, if they do not."""
    value = prediction["relationship"]
    row_id = prediction["dataRow"]["id"]
    problems: list[str] = []
    ends: dict[str, str | None] = {}
    for key in ("source", "target"):
        uuid = value.get(key)
        if uuid is None:
            continue
        found = objects.get(uuid)
        if found is None:
            problems.append(f"relationship.{key}: no annotation with uuid {short(uuid)} in this import")
        elif found[0] != row_id:
            problems.append(f"relationship.{key}: annotation {uuid} is on data row {found[0]}, not {row_id}: "
                            f"both ends must be in the same label")
        elif uuid == prediction["uuid"]:
            problems.append(f"relationship.{key}: a relationship cannot end at itself")
        else:
            ends[key] = found[1].get("schemaId")
    named = value.get("sourceOntologyName")
    if named is not None:
        source = features.by_name.get(named)
        if source is None:
            problems.append(f"relationship.sourceOntologyName: no feature named {short(named)} in the ontology")
        else:
            ends["source"] = source.schema_id
    pair = (ends.get("source"), ends.get("target"))
    if not problems and feature.constraints is not None and pair not in feature.constraints:
        problems.append(f"relationship: {feature.name!r} does not allow a relationship from feature "
                        f"{pair[0]} to feature {pair[1]} (its constraints)")
    return problems
