"""Every Mutation the SDL serves has its decisions written down, so none is added half-way:

- who sends it: the client documents (labelbox_lite/documents.py) that call it, or a note
  saying why only the Labelbox SDK does;
- whether the client retries it as a query (`IDEMPOTENT_MUTATIONS`): True only where sending it
  twice changes nothing the first did not. Leaving a mutation out of that set loses retries
  silently, and putting one in wrongly applies it twice, so the choice is made here, per
  document, and checked against the set;
- a row in docs/porting.md's table of served root fields.

Adding a Mutation to the SDL fails this test until its line in `DECISIONS` is added (docs/architecture.md,
"Adding a mutation").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import FieldNode, GraphQLObjectType, OperationDefinitionNode, parse

import labelbox_lite.documents as documents
from mockserver.api.service import build_mock_schema

PORTING = Path(__file__).resolve().parents[2] / "docs" / "porting.md"

# Mutation root field -> {document in labelbox_lite.documents: retried as a query?}, or a note saying why
# only the SDK sends it ("SDK only: ..."). One line per field; keep them sorted.
DECISIONS: dict[str, dict[str, bool] | str] = {
    "assignGlobalKeysToDataRows": {"ASSIGN_GLOBAL_KEYS": False},  # each call starts a job
    "cancelBulkOperationJob": {"CANCEL_TASK": False},  # a second cancel is refused: the task is no longer running
    "clearGlobalKeys": {"CLEAR_GLOBAL_KEYS": False},  # each call starts a job
    "clearQueueReservations": {"CLEAR_QUEUE_RESERVATIONS": False},  # a second call answers 0: not the count held
    "cloneProject": {"CLONE_PROJECT": False},  # each call makes a project
    "createAssignDataRowsToDataSplitTask": {"ASSIGN_DATA_SPLIT": False},
    "createDataRowAttachment": {"CREATE_DATA_ROW_ATTACHMENT": False},
    "createDataset": {"CREATE_DATASET": False},
    "createLabelImport": {"CREATE_LABEL_IMPORT_BY_FILE": False, "CREATE_LABEL_IMPORT_BY_URL": False},
    "createMEAModelRunDataRowRegistrationTask": {"UPSERT_DATA_ROWS": False},
    "createMEAModelRunLabelRegistrationTask": {"UPSERT_LABELS": False},
    "createMEAModelRunProjectLabelRegistrationTask": {"UPSERT_PROJECT_LABELS": False},
    "createMalPredictionImportForModelRunDataRows": {"CREATE_MAL_IMPORT_FOR_MODEL_RUN_ROWS": False},
    "createModel": {"CREATE_MODEL": False},
    "createModelAssistedLabelingPredictionImport": {"CREATE_MAL_IMPORT_BY_FILE": False, "CREATE_MAL_IMPORT_BY_URL": False},
    "createModelErrorAnalysisPredictionImport": {"CREATE_MEA_IMPORT_BY_FILE": False, "CREATE_MEA_IMPORT_BY_URL": False},
    "createModelFoundryApp": {"CREATE_FOUNDRY_APP": False},
    "createModelJobForDataRows": {"CREATE_MODEL_JOB": False},
    "createModelRun": {"CREATE_MODEL_RUN": False},
    "createProject": {"CREATE_PROJECT": False},
    "createResourceTag": "SDK only: Organization.create_resource_tag",
    "deleteCustomMetadataSchema": {"DELETE_METADATA_SCHEMA": False},
    "deleteDataRowAttachment": {"DELETE_DATA_ROW_ATTACHMENT": False},
    "deleteDataRowCustomMetadata": {"DELETE_DATA_ROW_METADATA": False},
    "deleteDataRows": {"DELETE_DATA_ROWS": False},
    "deleteLabels": {"DELETE_LABELS": False},
    "deleteModelAssistedLabelingPredictionImport": {"DELETE_MAL_PROJECT_IMPORT": False},
    "deleteModelFoundryApp": {"DELETE_FOUNDRY_APP": False},
    "deleteModelRunDataRows": {"DELETE_MODEL_RUN_DATA_ROWS": False},
    "deleteModelRuns": {"DELETE_MODEL_RUN": False},
    "deleteModels": {"DELETE_MODEL": False},
    "deleteResourceTag": "SDK only: the SDK's tests delete their tags with a document of their own",
    "exportDataRowsInCatalog": {"EXPORT_CATALOG": False},
    "exportDataRowsInModelRun": {"EXPORT_MODEL_RUN": False},
    "exportDataRowsInProject": {"EXPORT_PROJECT": False},
    "exportModelRunAnnotations": {"EXPORT_MODEL_RUN_ANNOTATIONS": False},
    "extendReservations": {"EXTEND_LABELING_RESERVATIONS": False, "EXTEND_REVIEW_RESERVATIONS": False},  # from now on
    # the project's mutations, each decided in PROJECT_DECISIONS below
    "project": {"ADD_DATA_ROWS_TO_BATCH": False, "CONNECT_ONTOLOGY": False, "CREATE_BATCH": False,
                "CREATE_BATCHES": False, "CREATE_BATCHES_FROM_DATASET": False, "CREATE_EMPTY_BATCH": False,
                "CREATE_QUEUE_PRIORITY_UPDATE_TASK": False, "DELETE_BATCH": False, "DELETE_BATCH_LABELS": False,
                "MOVE_DATA_ROWS_TO_TASK_QUEUE": False, "REMOVE_QUEUED_DATA_ROWS": False,
                "SET_LABELING_PARAMETER_OVERRIDES": False, "TOGGLE_MAL": False},
    "resetModelRunConfig": {"RESET_MODEL_RUN_CONFIG": True},
    "sendToAnnotateFromCatalog": {"SEND_TO_ANNOTATE_FROM_CATALOG": False},
    "sendToAnnotateFromMea": {"SEND_TO_ANNOTATE_FROM_MEA": False},
    "setProjectInstructions": {"SET_PROJECT_INSTRUCTIONS": False},
    "setProjectModelSetupComplete": {"SET_PROJECT_MODEL_SETUP_COMPLETE": True},  # sets the same value
    "updateDataRow": {"UPDATE_DATA_ROW": True},  # sets (and merges metadata to) the same values
    "updateDataRowAttachment": {"UPDATE_DATA_ROW_ATTACHMENT": True},
    "updateDataset": {"UPDATE_DATASET": False},
    "updateModelRunConfig": {"UPDATE_MODEL_RUN_CONFIG": True},
    "updateProject": {"DELETE_PROJECT": False, "UPDATE_PROJECT": False},
    "updateTrainingPipeline": {"UPDATE_TRAINING_PIPELINE": True},
    "uploadFile": {"UPLOAD_FILE": False},
    "upsertAutoQaLabelFeedback": "SDK only: Client.upsert_label_feedback",
    "upsertCustomMetadataSchema": {"UPSERT_METADATA_SCHEMA": False},
    "upsertDataRowCustomMetadata": {"UPSERT_DATA_ROW_METADATA": True},
    "upsertDataRows": {"UPSERT_DATA_ROWS_FROM_MANIFEST": False},
    "upsertOntology": {"CREATE_ONTOLOGY": False},
    "upsertRootSchemaNode": {"CREATE_FEATURE_SCHEMA": False},  # without an id each call makes another schema
}


# The same for each field of ProjectMutations (reached through `Mutation.project`), so a project
# mutation is not added half-way either.
PROJECT_DECISIONS: dict[str, dict[str, bool] | str] = {
    "addDataRowsToBatchAsync": {"ADD_DATA_ROWS_TO_BATCH": False},
    "connectOntology": {"CONNECT_ONTOLOGY": False},
    "createBatchV2": {"CREATE_BATCH": False},
    "createBatches": {"CREATE_BATCHES": False},
    "createBatchesFromDataset": {"CREATE_BATCHES_FROM_DATASET": False},
    "createBulkAddRowsToQueueTask": {"MOVE_DATA_ROWS_TO_TASK_QUEUE": False},  # each call starts a task
    "createEmptyBatch": {"CREATE_EMPTY_BATCH": False},
    "createQueuePriorityUpdateTask": {"CREATE_QUEUE_PRIORITY_UPDATE_TASK": False},  # each call starts a task
    "deleteBatch": {"DELETE_BATCH": False},
    "deleteBatchLabels": {"DELETE_BATCH_LABELS": False},  # deletes what labels are on the rows then
    "removeQueuedDataRowsFromBatch": {"REMOVE_QUEUED_DATA_ROWS": False},
    # setting the same priorities twice changes nothing, but the overrides are written into the document and
    # the client retries by document (IDEMPOTENT_MUTATIONS), so a filled-in one is not retried
    "setLabelingParameterOverrides": {"SET_LABELING_PARAMETER_OVERRIDES": False},
    "showPredictionsToLabelers": {"TOGGLE_MAL": False},
    "updateProjectResourceTags": "SDK only: Project.update_project_resource_tags",
}
TABLES = {"Mutation": DECISIONS, "ProjectMutations": PROJECT_DECISIONS}


def _sent_by_the_client() -> dict[str, dict[str, set[str]]]:
    """Type (Mutation, ProjectMutations) -> field -> names of the client documents whose mutation selects it."""
    sent: dict[str, dict[str, set[str]]] = {"Mutation": {}, "ProjectMutations": {}}
    for name, value in vars(documents).items():
        if isinstance(value, str) and value.lstrip().startswith("mutation"):
            for operation in parse(value).definitions:
                if isinstance(operation, OperationDefinitionNode):
                    for selection in operation.selection_set.selections:
                        assert isinstance(selection, FieldNode)  # a mutation's root selects fields
                        sent["Mutation"].setdefault(selection.name.value, set()).add(name)
                        if selection.name.value == "project" and selection.selection_set is not None:
                            for nested in selection.selection_set.selections:
                                assert isinstance(nested, FieldNode)
                                sent["ProjectMutations"].setdefault(nested.name.value, set()).add(name)
    return sent


def _served(type_name: str) -> set[str]:
    served = build_mock_schema().get_type(type_name)
    assert isinstance(served, GraphQLObjectType), type_name
    return set(served.fields)


def _served_mutations() -> set[str]:
    return _served("Mutation")


@pytest.mark.parametrize("type_name", sorted(TABLES))
def test_every_served_mutation_has_its_decisions(type_name: str) -> None:
    served, decided = _served(type_name), set(TABLES[type_name])
    assert not served - decided, f"add these to the decisions of {type_name}: {sorted(served - decided)}"
    assert not decided - served, f"not in the SDL's {type_name}: {sorted(decided - served)}"


@pytest.mark.parametrize("type_name", sorted(TABLES))
def test_the_documents_named_are_the_ones_that_send_it(type_name: str) -> None:
    sent = _sent_by_the_client()[type_name]
    for field, decision in TABLES[type_name].items():
        if isinstance(decision, str):
            assert decision.startswith("SDK only: "), (field, decision)
            assert field not in sent, f"{field} is sent by {sorted(sent[field])}: name them instead of a note"
        else:
            assert set(decision) == sent.get(field, set()), field


@pytest.mark.parametrize("type_name", sorted(TABLES))
def test_each_retry_decision_is_the_one_the_client_makes(type_name: str) -> None:
    for field, decision in TABLES[type_name].items():
        if isinstance(decision, dict):
            for name, retried in decision.items():
                assert (getattr(documents, name) in documents.IDEMPOTENT_MUTATIONS) is retried, (field, name)

def test_every_served_mutation_has_a_porting_row() -> None:
    rows = set(re.findall(r"^\| `Mutation\.(\w+)` \|", PORTING.read_text(encoding="utf-8"), re.M))
    assert not _served_mutations() - rows, sorted(_served_mutations() - rows)
