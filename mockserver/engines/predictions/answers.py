"""A classification's answer: text, one radio option or checklist options, and the questions nested
under a tool object or a chosen option, at any depth. Valid answers come back normalised."""

from __future__ import annotations

from typing import Any

from .features import GEOMETRY_KEYS, Feature, FeatureIndex
from .values import check_confidence, check_custom_metrics, short


def check_classification(feature: Feature, row: dict[str, Any], problems: list[str]) -> Any:
    """Checks the answer; returns it normalised (options with name and schemaId) when it is valid."""
    check_question(feature, row, problems)
    if "answer" in row and "answers" in row:
        problems.append("answers: give answer or answers, not both")
        return None
    key = "answers" if "answers" in row else "answer"
    answer = row.get(key)
    if answer is None:
        problems.append(f"answer: feature {feature.name!r} is a {feature.kind} classification and needs an answer")
        return None
    if feature.kind == "text":
        if key != "answer" or not isinstance(answer, str):
            problems.append(f"{key}: a text classification's answer is a string, got {short(answer)}")
            return None
        return answer
    if feature.kind == "radio":
        if key != "answer" or type(answer) is not dict:
            problems.append(f"{key}: a radio classification's answer is one option "
                            f"{{name or schemaId}}, got {short(answer)}")
            return None
        return _option(feature, answer, "answer", problems)
    # checklist
    if type(answer) is not list or not answer:
        problems.append(f"{key}: a checklist classification's answer is a non-empty list of options, "
                        f"got {short(answer)}")
        return None
    chosen = [_option(feature, option, f"{key}[{index}]", problems) for index, option in enumerate(answer)]
    ids = [option["schemaId"] for option in chosen if option is not None]
    if len(ids) != len(set(ids)):
        problems.append(f"{key}: an option is chosen twice in checklist {feature.name!r}")
    return None if None in chosen else chosen


def check_question(feature: Feature, row: dict[str, Any], problems: list[str]) -> None:
    """What a classification row must not carry, whatever its answer: a geometry, or questions beside it."""
    geometry = [] if feature.forbidden.isdisjoint(row) else [key for key in GEOMETRY_KEYS if key in row]
    if geometry:
        problems.append(f"{geometry[0]}: feature {feature.name!r} is a {feature.kind} classification, "
                        "which takes an answer, not a geometry")
    if row.get("classifications"):  # nested answers belong under a chosen option, not the question
        problems.append(f"classifications: classification {feature.name!r} nests its questions under its options "
                        "(answer.classifications)")


def _option(feature: Feature, option: Any, path: str, problems: list[str]) -> dict[str, Any] | None:
    found_id = resolve_option(feature, option, path, problems)
    if found_id is None:
        return None
    confidence = option.get("confidence")
    if confidence is not None:
        check_confidence(confidence, f"{path}.confidence", problems)
    if "customMetrics" in option:
        check_custom_metrics(option["customMetrics"], f"{path}.customMetrics", problems)
    normalised = dict(option)
    if option.get("classifications"):
        nested = check_nested(feature.option_nested.get(found_id), f"option {feature.option_values[found_id]!r}",
                               option["classifications"], f"{path}.classifications", problems)
        if nested is not None:
            normalised["classifications"] = nested
    normalised["name"] = feature.option_values[found_id]
    normalised["schemaId"] = found_id
    return normalised


def resolve_option(feature: Feature, option: Any, path: str, problems: list[str]) -> str | None:
    """The schema id of the option an answer names by name, schemaId or both; None (and a problem) if none."""
    if type(option) is not dict:
        problems.append(f"{path}: an option is an object with name or schemaId, got {short(option)}")
        return None
    name, schema_id = option.get("name"), option.get("schemaId")
    found_id = None
    if name is None and schema_id is None:
        problems.append(f"{path}: an option needs a name or a schemaId")
        return None
    if name is not None:
        found_id = feature.option_ids.get(name) if isinstance(name, str) else None
        if found_id is None:
            problems.append(f"{path}.name: {short(name)} is not an option of {feature.name!r} "
                            f"(options: {', '.join(feature.option_ids)})")
            return None
    if schema_id is not None:
        if not isinstance(schema_id, str) or schema_id not in feature.option_values:
            problems.append(f"{path}.schemaId: {short(schema_id)} is not an option of {feature.name!r}")
            return None
        if found_id is not None and found_id != schema_id:
            problems.append(f"{path}.schemaId: {schema_id!r} is option {feature.option_values[schema_id]!r}, "
                            f"but name says {name!r}")
            return None
        found_id = schema_id
    return found_id


def nested_questions(index: FeatureIndex | None, owner: str, nested: Any, path: str,
                     problems: list[str]) -> list[tuple[str, dict[str, Any], Feature]] | None:
    """The items of a list of nested classification answers, each with its path and the question it names
    (`owner`'s, from `index`); a problem for each item that names none. None if `nested` is not a list.

    The one walk for every nesting: under a tool object, a chosen option, or a temporal answer.
    """
    if type(nested) is not list:
        problems.append(f"{path}: must be a list of nested classification answers, got {short(nested)}")
        return None
    found: list[tuple[str, dict[str, Any], Feature]] = []
    for position, item in enumerate(nested):
        item_path = f"{path}[{position}]"
        if type(item) is not dict:
            problems.append(f"{item_path}: a nested classification answer is an object, got {short(item)}")
            continue
        if index is None:
            label = item.get("name") or item.get("schemaId")
            problems.append(f"{item_path}: {owner} has no nested classification {short(label)}")
            continue
        feature = index.resolve(item.get("name"), item.get("schemaId"))
        if isinstance(feature, str):  # (a nested index holds classifications only: no tool resolves here)
            problems.append(f"{item_path}.{feature}")
        else:
            found.append((item_path, item, feature))
    return found


def check_nested(index: FeatureIndex | None, owner: str, nested: Any, path: str,
                 problems: list[str]) -> list[dict[str, Any]] | None:
    """Answers to the classifications nested under a tool object or a chosen option, at any depth.

    Each problem names its full path (`answer.classifications[0].answer.name: ...`);
    valid answers come back with their name and schemaId filled in.
    """
    found = nested_questions(index, owner, nested, path, problems)
    if found is None:
        return None
    out: list[dict[str, Any]] = []
    for item_path, item, feature in found:
        messages: list[str] = []
        answer = check_classification(feature, item, messages)
        problems.extend(f"{item_path}.{message}" for message in messages)
        if answer is not None and not messages:
            normalised = {key: value for key, value in item.items() if key != "answers"}
            out.append({**normalised, "name": feature.name, "schemaId": feature.schema_id, "answer": answer})
    return out
