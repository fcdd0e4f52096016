"""Seeding: one JSON document of ontologies, datasets, projects and models.

A seed is checked whole before anything is written, so a bad seed changes
nothing; every problem is reported with the path of the offending value, e.g.
`projects[0].labels[2].data_row`.
"""

from __future__ import annotations

from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .attachments import check as check_attachment
from .attachments import with_ids
from .errors import ProblemsError, QuotaExceeded
from .ontologies import CLASSIFICATION_KINDS, TOOL_KINDS, check_quota, register_feature_schemas, walk
from .organization import Organization
from .projects import create_project
from .records import Classification, DataRow, Dataset, Label, Model, ModelSlice, Ontology, Option, Project, Tool
from .row_data import default_media_attributes

MEDIA_TYPES = (
    "IMAGE", "VIDEO", "TEXT", "DOCUMENT", "AUDIO", "HTML", "CONVERSATIONAL", "GEOSPATIAL_TILE", "LLM_PROMPT_RESPONSE_CREATION",
)
TOP_LEVEL_KEYS = ("ontologies", "datasets", "projects", "models", "model_slices")


class SeedError(ProblemsError):
    """A seed was refused; `problems` lists every (path, message) found."""

    what = "seed"


class _Checker:
    """Collects problems instead of stopping at the first, so a user fixes a seed in one pass."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        # one problem per place: a later check at the same path follows from the first (a project
        # whose ontology is missing also "has labels but no ontology"), so it would report it twice
        if all(seen != path for seen, _ in self.problems):
            self.problems.append((path, message))

    def items(self, doc: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list):
            self.fail(f"{path}{key}", f"must be a list, got {type(value).__name__}")
            return []
        out = []
        for index, item in enumerate(value):
            item_path = f"{path}{key}[{index}]"
            if isinstance(item, dict):
                out.append((item_path, item))
            else:
                self.fail(item_path, f"must be an object, got {type(item).__name__}")
        return out

    def string(self, doc: dict[str, Any], key: str, path: str, required: bool = True) -> str | None:
        value = doc.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "is required")
            return None
        if not isinstance(value, str) or not value:
            self.fail(f"{path}.{key}", f"must be a non-empty string, got {value!r}")
            return None
        return value

    def unknown_keys(self, doc: dict[str, Any], allowed: tuple[str, ...], path: str) -> None:
        for key in doc:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else key, f"unknown key; expected one of {', '.join(allowed)}")


class _Ids:
    """Explicit ids from the seed, checked unique against state and the seed itself."""

    def __init__(self, checker: _Checker, ids: IdFactory, taken: set[str]) -> None:
        self.checker = checker
        self.ids = ids
        self.taken = taken

    def claim(self, doc: dict[str, Any], path: str, key: str = "id") -> str:
        explicit = doc.get(key)
        if explicit is None:
            return self.ids.new()
        if not isinstance(explicit, str) or not explicit:
            self.checker.fail(f"{path}.{key}", f"must be a non-empty string, got {explicit!r}")
            return self.ids.new()
        if explicit in self.taken:
            self.checker.fail(f"{path}.{key}", f"id {explicit!r} is already in use")
        self.taken.add(explicit)
        return explicit


def _taken_ids(org: Organization) -> set[str]:
    taken: set[str] = set()
    for table in (org.ontologies, org.datasets, org.data_rows, org.projects, org.labels, org.models, org.model_runs,
                  org.model_slices):
        taken.update(table)
    taken.update(org.feature_schemas)
    for ontology in org.ontologies.values():
        taken.update(node.feature_schema_id for node in walk(ontology))
    return taken


def apply_seed(org: Organization, ids: IdFactory, clock: MockClock, doc: Any) -> dict[str, Any]:
    """Check `doc` whole, then write it into `org`. Returns the ids created, mirroring the seed."""
    check = _Checker()
    if not isinstance(doc, dict):
        raise SeedError([("$", f"a seed must be a JSON object, got {type(doc).__name__}")])
    check.unknown_keys(doc, TOP_LEVEL_KEYS, "")
    claim = _Ids(check, ids, _taken_ids(org))
    now = clock.now()

    ontologies = _plan_ontologies(doc, check, claim, now)
    ontology_ref = _Refs({**{o.id: o for o in org.ontologies.values()}, **{o.id: o for o in ontologies}})

    datasets, data_rows = _plan_datasets(doc, check, claim, org, now)
    row_ref = _row_resolver(org, data_rows)

    plans = _plan_projects(doc, check, claim, ontology_ref, row_ref, org.user.id, now, org)
    models = _plan_models(doc, check, claim, ontology_ref, org.user.id, now)
    model_slices = _plan_model_slices(doc, check, claim, row_ref, now)

    try:
        check_quota(org, [node for ontology in ontologies for node in ontology.features()])
    except QuotaExceeded as error:
        check.fail("ontologies", str(error))
    if check.problems:
        raise SeedError(check.problems)

    # Nothing below can fail: every reference was resolved above.
    for ontology in ontologies:
        org.ontologies[ontology.id] = ontology
        register_feature_schemas(org, clock, ontology)
    for dataset in datasets:
        org.datasets[dataset.id] = dataset
    for row in data_rows:
        org.data_rows[row.id] = row
        if row.global_key is not None:
            org.data_rows_by_global_key[row.global_key] = row.id
    if data_rows:  # their metadata and attachments are counted again at the next write
        org.metadata_usage = org.attachment_usage = None
    created_projects = []
    for plan in plans:
        if plan["existing"]:  # an entry naming a project that exists adds its labels to it
            project = org.project(plan["id"])
            project.updated_at = now
        else:
            project = create_project(
                org, ids, clock, plan["name"], plan["ontology_id"], project_id=plan["id"], media_type=plan["media_type"]
            )
        for label in plan["labels"]:
            label.project_id = project.id
            org.labels[label.id] = label
            project.label_ids.append(label.id)
        created_projects.append({"id": project.id, "labels": [label.id for label in plan["labels"]]})
    for model in models:
        org.models[model.id] = model
    for model_slice in model_slices:
        org.model_slices[model_slice.id] = model_slice

    return {
        "ontologies": [
            {
                "id": o.id,
                "features": {f.name: f.feature_schema_id for f in o.features()},
                "options": {c.name: {opt.value: opt.feature_schema_id for opt in c.options}
                            for c in o.classifications if c.options},
            }
            for o in ontologies
        ],
        "datasets": [{"id": d.id, "data_rows": list(d.data_row_ids)} for d in datasets],
        "projects": created_projects,
        "models": [m.id for m in models],
        "model_slices": [s.id for s in model_slices],
    }


class _Refs:
    """Resolves a reference by id first, then by name, reporting ambiguity."""

    def __init__(self, by_id: dict[str, Any]) -> None:
        self.by_id = by_id
        self.by_name: dict[str, list[Any]] = {}
        for item in by_id.values():
            self.by_name.setdefault(item.name, []).append(item)

    def resolve(self, check: _Checker, path: str, ref: Any, kind: str) -> Any:
        if not isinstance(ref, str) or not ref:
            check.fail(path, f"must name a {kind} by id or name, got {ref!r}")
            return None
        if ref in self.by_id:
            return self.by_id[ref]
        named = self.by_name.get(ref, [])
        if len(named) == 1:
            return named[0]
        if named:
            check.fail(path, f"{kind} name {ref!r} is ambiguous; use its id")
        else:
            check.fail(path, f"no {kind} with id or name {ref!r}")
        return None


def _plan_ontologies(doc: dict[str, Any], check: _Checker, claim: _Ids, now: float) -> list[Ontology]:
    out = []
    for path, item in check.items(doc, "ontologies", ""):
        check.unknown_keys(item, ("id", "name", "tools", "classifications", "media_type"), path)
        media_type = item.get("media_type")
        if media_type is not None and media_type not in MEDIA_TYPES:
            check.fail(f"{path}.media_type", f"must be one of {', '.join(MEDIA_TYPES)}, got {media_type!r}")
        ontology = Ontology(id=claim.claim(item, path), name=check.string(item, "name", path) or "", created_at=now,
                            updated_at=now, media_type=media_type)
        names: set[str] = set()
        for tool_path, tool in check.items(item, "tools", path + "."):
            check.unknown_keys(tool, ("tool", "name", "feature_schema_id", "classifications"), tool_path)
            kind = tool.get("tool")
            if kind not in TOOL_KINDS:
                check.fail(f"{tool_path}.tool", f"must be one of {', '.join(TOOL_KINDS)}, got {kind!r}")
            name = check.string(tool, "name", tool_path) or ""
            _unique_name(check, names, name, f"{tool_path}.name")
            ontology.tools.append(Tool(
                feature_schema_id=claim.claim(tool, tool_path, "feature_schema_id"), name=name, tool=str(kind),
                classifications=_plan_classifications(tool, tool_path, check, claim), schema_node_id=claim.ids.new(),
            ))
        for cls_path, cls in check.items(item, "classifications", path + "."):
            ontology.classifications.append(_plan_classification(cls, cls_path, check, claim, names))
        out.append(ontology)
    return out


def _plan_classifications(parent: dict[str, Any], path: str, check: _Checker, claim: _Ids) -> list[Classification]:
    """Classifications nested under a tool or an option (key `classifications`), to any depth."""
    names: set[str] = set()
    return [_plan_classification(cls, cls_path, check, claim, names)
            for cls_path, cls in check.items(parent, "classifications", path + ".")]


def _plan_classification(cls: dict[str, Any], path: str, check: _Checker, claim: _Ids,
                         names: set[str]) -> Classification:
    check.unknown_keys(cls, ("type", "name", "feature_schema_id", "options"), path)
    kind = cls.get("type")
    if kind not in CLASSIFICATION_KINDS:
        check.fail(f"{path}.type", f"must be one of {', '.join(CLASSIFICATION_KINDS)}, got {kind!r}")
    name = check.string(cls, "name", path) or ""
    _unique_name(check, names, name, f"{path}.name")
    return Classification(
        feature_schema_id=claim.claim(cls, path, "feature_schema_id"), name=name, type=str(kind),
        options=_plan_options(cls, path, kind, check, claim), instructions=name, schema_node_id=claim.ids.new(),
    )


def _unique_name(check: _Checker, names: set[str], name: str, path: str) -> None:
    if name and name in names:
        check.fail(path, f"feature name {name!r} is used twice at this level of the ontology")
    names.add(name)


def _plan_options(cls: dict[str, Any], path: str, kind: Any, check: _Checker, claim: _Ids) -> list[Option]:
    raw = cls.get("options", [])
    if not isinstance(raw, list):
        check.fail(f"{path}.options", "must be a list")
        return []
    if kind in ("radio", "checklist") and not raw:
        check.fail(f"{path}.options", f"a {kind} classification needs at least one option")
    if kind == "text" and raw:
        check.fail(f"{path}.options", "a text classification has no options")
    options = []
    values: set[str] = set()
    for index, option in enumerate(raw):
        option_path = f"{path}.options[{index}]"
        if isinstance(option, str):
            option = {"value": option}
        if not isinstance(option, dict):
            check.fail(option_path, "must be a string or an object with value")
            continue
        check.unknown_keys(option, ("value", "feature_schema_id", "classifications"), option_path)
        value = check.string(option, "value", option_path) or ""
        if value and value in values:
            check.fail(f"{option_path}.value", f"option {value!r} is used twice in this classification")
        values.add(value)
        options.append(Option(
            feature_schema_id=claim.claim(option, option_path, "feature_schema_id"), value=value,
            options=_plan_classifications(option, option_path, check, claim), label=value,
            schema_node_id=claim.ids.new(),
        ))
    return options


def _plan_datasets(
    doc: dict[str, Any], check: _Checker, claim: _Ids, org: Organization, now: float
) -> tuple[list[Dataset], list[DataRow]]:
    datasets, rows = [], []
    global_keys = set(org.data_rows_by_global_key)
    for path, item in check.items(doc, "datasets", ""):
        check.unknown_keys(item, ("id", "name", "data_rows"), path)
        dataset = Dataset(id=claim.claim(item, path), name=check.string(item, "name", path) or "", created_at=now)
        for row_path, row in check.items(item, "data_rows", path + "."):
            check.unknown_keys(
                row,
                ("id", "row_data", "global_key", "external_id", "media_type", "media_attributes",
                 "metadata_fields", "attachments", "embeddings"),
                row_path,
            )
            global_key = check.string(row, "global_key", row_path, required=False)
            if global_key is not None:
                if global_key in global_keys:
                    check.fail(f"{row_path}.global_key", f"global key {global_key!r} is already in use")
                global_keys.add(global_key)
            media_type = row.get("media_type", "IMAGE")
            if media_type not in MEDIA_TYPES:
                check.fail(f"{row_path}.media_type", f"must be one of {', '.join(MEDIA_TYPES)}, got {media_type!r}")
            for listed in ("metadata_fields", "attachments", "embeddings"):
                if not isinstance(row.get(listed, []), list):
                    check.fail(f"{row_path}.{listed}", "must be a list")
            for index, attachment in enumerate(row.get("attachments") or []):
                problem = check_attachment(attachment, f"{row_path}.attachments[{index}]")
                if problem is not None:
                    where, _, message = problem.partition(": ")
                    check.fail(where, message)
            if not isinstance(row.get("media_attributes", {}), dict):
                check.fail(f"{row_path}.media_attributes", "must be an object")
            data_row = DataRow(
                id=claim.claim(row, row_path),
                dataset_id=dataset.id,
                row_data=check.string(row, "row_data", row_path) or "",
                created_at=now,
                updated_at=now,
                global_key=global_key,
                external_id=check.string(row, "external_id", row_path, required=False),
                media_type=str(media_type),
                media_attributes=dict(row.get("media_attributes") or default_media_attributes(str(media_type))),
                metadata_fields=list(row.get("metadata_fields") or []),
                attachments=with_ids(claim.ids, row.get("attachments") or []),
                embeddings=list(row.get("embeddings") or []),
            )
            dataset.data_row_ids.append(data_row.id)
            rows.append(data_row)
        datasets.append(dataset)
    return datasets, rows


def _row_resolver(org: Organization, planned: list[DataRow]) -> dict[str, str]:
    """Maps both data row ids and global keys to ids, over state and the seed."""
    refs = {row_id: row_id for row_id in org.data_rows}
    refs.update(org.data_rows_by_global_key)
    for row in planned:
        refs[row.id] = row.id
        if row.global_key is not None:
            refs[row.global_key] = row.id
    return refs


def _plan_projects(
    doc: dict[str, Any],
    check: _Checker,
    claim: _Ids,
    ontologies: _Refs,
    rows: dict[str, str],
    user_id: str,
    now: float,
    org: Organization,
) -> list[dict[str, Any]]:
    plans = []
    for path, item in check.items(doc, "projects", ""):
        existing = org.projects.get(item["id"]) if isinstance(item.get("id"), str) else None
        if existing is not None:
            plans.append(_plan_existing_project(item, path, existing, check, claim, ontologies, rows, user_id, now))
            continue
        check.unknown_keys(item, ("id", "name", "ontology", "media_type", "labels"), path)
        ontology = None
        if "ontology" in item:
            ontology = ontologies.resolve(check, f"{path}.ontology", item["ontology"], "ontology")
        media_type = item.get("media_type", "IMAGE")
        if media_type not in MEDIA_TYPES:
            check.fail(f"{path}.media_type", f"must be one of {', '.join(MEDIA_TYPES)}, got {media_type!r}")
        plan: dict[str, Any] = {
            "id": claim.claim(item, path),
            "name": check.string(item, "name", path) or "",
            "ontology_id": ontology.id if ontology else None,
            "media_type": media_type,
            "labels": [],
            "existing": False,
        }
        plan["labels"] = _plan_labels(item, path, plan["id"], ontology, check, claim, rows, user_id, now)
        if plan["labels"] and ontology is None:
            check.fail(f"{path}.ontology", "a project with labels needs an ontology")
        plans.append(plan)
    return plans


def _plan_existing_project(item: dict[str, Any], path: str, project: Project, check: _Checker, claim: _Ids,
                           ontologies: _Refs, rows: dict[str, str], user_id: str, now: float) -> dict[str, Any]:
    """An entry naming an existing project: only labels to add (its name or ontology, if given, must agree)."""
    check.unknown_keys(item, ("id", "name", "ontology", "labels"), path)
    if "name" in item and item["name"] != project.name:
        check.fail(f"{path}.name", f"project {project.id} exists with name {project.name!r}; "
                                   "an entry naming it only adds labels")
    ontology = ontologies.by_id.get(project.ontology_id) if project.ontology_id else None
    if "ontology" in item:
        named = ontologies.resolve(check, f"{path}.ontology", item["ontology"], "ontology")
        if named is not None and named is not ontology:
            check.fail(f"{path}.ontology", f"project {project.id} uses another ontology")
    labels = _plan_labels(item, path, project.id, ontology, check, claim, rows, user_id, now)
    if labels and ontology is None:
        check.fail(f"{path}.labels", f"project {project.id} has no ontology to label with")
    return {"id": project.id, "name": project.name, "ontology_id": project.ontology_id,
            "media_type": project.media_type, "labels": labels, "existing": True}


def _plan_labels(item: dict[str, Any], path: str, project_id: str, ontology: Ontology | None, check: _Checker,
                 claim: _Ids, rows: dict[str, str], user_id: str, now: float) -> list[Label]:
    labels = []
    for label_path, label in check.items(item, "labels", path + "."):
        check.unknown_keys(label, ("id", "data_row", "annotations"), label_path)
        row_ref = label.get("data_row")
        row_id = rows.get(row_ref) if isinstance(row_ref, str) else None
        if row_id is None:
            check.fail(f"{label_path}.data_row", f"no data row with id or global key {row_ref!r}")
        annotations = label.get("annotations", [])
        if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
            check.fail(f"{label_path}.annotations", "must be a list of NDJSON annotation objects")
            annotations = []
        elif ontology is not None:
            _check_annotation_features(check, f"{label_path}.annotations", annotations, ontology)
        labels.append(
            Label(
                id=claim.claim(label, label_path),
                project_id=project_id,
                data_row_id=row_id or "",
                created_at=now,
                updated_at=now,
                annotations=[dict(a) for a in annotations],
                created_by_id=user_id,
            )
        )
    return labels


def _check_annotation_features(check: _Checker, path: str, annotations: list[dict[str, Any]], ontology: Ontology) -> None:
    for index, annotation in enumerate(annotations):
        _check_answer(check, f"{path}[{index}]", annotation, ontology.features(), f"ontology {ontology.name!r}", "feature")


def _check_answer(check: _Checker, path: str, annotation: Any, scope: list[Tool | Classification], owner: str,
                  what: str = "nested classification") -> None:
    """The feature an annotation names, and below it the nested answers, checked against the ontology's tree."""
    if not isinstance(annotation, dict):
        check.fail(path, "must be an object")
        return
    name, schema_id = annotation.get("name"), annotation.get("schemaId")
    if name is None and schema_id is None:
        check.fail(path, "needs a name or a schemaId")
        return
    key, ref = ("name", name) if name is not None else ("schemaId", schema_id)
    found = next((f for f in scope if (f.name if key == "name" else f.feature_schema_id) == ref), None)
    if found is None:
        check.fail(f"{path}.{key}", f"no {what} {'named ' if key == 'name' else ''}{ref!r} in {owner}"
                   if what == "feature" else f"no {what} {'named ' if key == 'name' else ''}{ref!r} under {owner}")
        return
    if isinstance(found, Tool):
        nested = annotation.get("classifications") or []
        for index, item in enumerate(nested if isinstance(nested, list) else []):
            _check_answer(check, f"{path}.classifications[{index}]", item, list(found.classifications),
                          f"tool {found.name!r}")
        return
    answer_key = "answers" if "answers" in annotation else "answer"
    answer = annotation.get(answer_key)
    chosen = [(f"{path}.{answer_key}", answer)] if isinstance(answer, dict) else [
        (f"{path}.{answer_key}[{index}]", item) for index, item in enumerate(answer) if isinstance(item, dict)
    ] if isinstance(answer, list) else []
    for option_path, option in chosen:
        ref = option.get("name", option.get("value"))
        match = next((o for o in found.options if o.value == ref or o.feature_schema_id == option.get("schemaId")), None)
        if match is None:
            check.fail(option_path, f"{ref!r} is not an option of {found.name!r}")
            continue
        for index, item in enumerate(option.get("classifications") or []):
            _check_answer(check, f"{option_path}.classifications[{index}]", item, list(match.options),
                          f"option {match.value!r}")


def _plan_models(
    doc: dict[str, Any], check: _Checker, claim: _Ids, ontologies: _Refs, user_id: str, now: float
) -> list[Model]:
    models = []
    for path, item in check.items(doc, "models", ""):
        check.unknown_keys(item, ("id", "name", "ontology"), path)
        ontology = ontologies.resolve(check, f"{path}.ontology", item.get("ontology"), "ontology")
        models.append(
            Model(
                id=claim.claim(item, path),
                name=check.string(item, "name", path) or "",
                ontology_id=ontology.id if ontology else "",
                created_at=now,
                created_by_id=user_id,
            )
        )
    return models


def _plan_model_slices(
    doc: dict[str, Any], check: _Checker, claim: _Ids, rows: dict[str, str], now: float
) -> list[ModelSlice]:
    """Model slices: the data rows each selects (by id or global key), and the filter it reports."""
    slices = []
    for path, item in check.items(doc, "model_slices", ""):
        check.unknown_keys(item, ("id", "name", "description", "filter", "data_rows"), path)
        members = item.get("data_rows", [])
        if not isinstance(members, list):
            check.fail(f"{path}.data_rows", f"must be a list of data row ids or global keys, got {members!r}")
            members = []
        row_ids = []
        for index, ref in enumerate(members):
            row_id = rows.get(ref) if isinstance(ref, str) else None
            if row_id is None:
                check.fail(f"{path}.data_rows[{index}]", f"no data row with id or global key {ref!r}")
            elif row_id not in row_ids:
                row_ids.append(row_id)
        description = item.get("description")
        if description is not None and not isinstance(description, str):
            check.fail(f"{path}.description", f"must be a string, got {description!r}")
        slices.append(ModelSlice(id=claim.claim(item, path), name=check.string(item, "name", path) or "",
                                 description=description, filter=item.get("filter", []), data_row_ids=row_ids,
                                 created_at=now, updated_at=now))
    return slices
