"""Every GraphQL document the client sends, by name.

They use the operation names, arguments and selections the Labelbox SDK
sends, so the real API accepts them; tests validate each one against the SDL.
"""

from __future__ import annotations

USER_FIELDS = "createdAt email isExternalUser isViewer lastLoginAt nickname name picture id updatedAt"
ORGANIZATION_FIELDS = "createdAt name id updatedAt"
MODEL_FIELDS = "name ontologyId id"
MODEL_RUN_FIELDS = "createdAt createdBy modelAppId modelId name trainingMetadata id updatedAt"
PROJECT_FIELDS = (
    "autoAuditNumberOfLabels autoAuditPercentage createdAt dataRowCount description editorTaskType "
    "isBenchmarkEnabled isConsensusEnabled lastActivityTime allowedMediaType modelSetupComplete name "
    "setupComplete id updatedAt uploadType"
)
DATA_ROW_FIELDS = (
    "createdAt externalId globalKey mediaAttributes customMetadata { schemaId value } "
    "metadataFields { schemaId name value kind } rowData id updatedAt"
)
TASK_FIELDS = "completionPercentage createdAt errors metadata name result status type id updatedAt"

# -- the caller -------------------------------------------------------------
GET_USER = f"query GetUserPyApi{{user{{{USER_FIELDS}}}}}"
GET_ORGANIZATION = f"query GetOrganizationPyApi{{organization{{{ORGANIZATION_FIELDS}}}}}"

# -- single entities ---------------------------------------------------------
GET_MODEL = f"query GetModelPyApi($id: ID!){{model(where: {{id: $id}}){{{MODEL_FIELDS}}}}}"
GET_MODEL_RUN = f"query GetModelRunPyApi($id: ID!){{modelRun(where: {{id: $id}}){{{MODEL_RUN_FIELDS}}}}}"
GET_PROJECT = f"query GetProjectPyApi($id: ID!){{project(where: {{id: $id}}){{{PROJECT_FIELDS}}}}}"
GET_DATA_ROW = f"query GetDataRowPyApi($id: ID!){{dataRow(where: {{id: $id}}){{{DATA_ROW_FIELDS}}}}}"

# -- lists (offset pages; skip and first are variables here) -----------------
GET_MODELS = (
    "query GetModelsPyApi($skip: Int, $first: Int)"
    f"{{models(skip: $skip first: $first){{{MODEL_FIELDS}}}}}"
)
GET_MODELS_BY_NAME = (
    "query GetModelsPyApi($name: String!, $skip: Int, $first: Int)"
    f"{{models(where: {{name: $name}} skip: $skip first: $first){{{MODEL_FIELDS}}}}}"
)
GET_MODEL_RUNS = (
    "query GetModelModelRunsPyApi($id: ID!, $skip: Int, $first: Int)"
    f"{{model(where: {{id: $id}}){{modelRuns(skip: $skip first: $first){{{MODEL_RUN_FIELDS}}}}}}}"
)

# -- model lifecycle -----------------------------------------------------------
CREATE_MODEL = (
    "mutation createModelPyApi($name: String!, $ontologyId: ID!)"
    f"{{createModel(data: {{name: $name, ontologyId: $ontologyId}}){{{MODEL_FIELDS}}}}}"
)
DELETE_MODEL = "mutation DeleteModelPyApi($ids: ID!){deleteModels(where: {ids: [$ids]})}"
CREATE_MODEL_RUN = (
    "mutation CreateModelRunPyApi($name: String!, $config: Json, $modelId: ID!)"
    "{createModelRun(data: {name: $name, trainingMetadata: $config, modelId: $modelId})"
    f"{{{MODEL_RUN_FIELDS}}}}}"
)
DELETE_MODEL_RUN = "mutation DeleteModelRunPyApi($ids: ID!){deleteModelRuns(where: {ids: [$ids]})}"

# -- training config and status ------------------------------------------------
GET_MODEL_RUN_CONFIG = "query ModelRunPyApi($modelRunId: ID!){modelRun(where: {id: $modelRunId}){trainingMetadata}}"
UPDATE_MODEL_RUN_CONFIG = (
    "mutation updateModelRunConfigPyApi($modelRunId: ID!, $data: UpdateModelRunConfigInput!)"
    "{updateModelRunConfig(modelRun: {id: $modelRunId}, data: $data){trainingMetadata}}"
)
RESET_MODEL_RUN_CONFIG = (
    "mutation resetModelRunConfigPyApi($modelRunId: ID!)"
    "{resetModelRunConfig(modelRun: {id: $modelRunId}){trainingMetadata}}"
)
UPDATE_TRAINING_PIPELINE = (
    "mutation setPipelineStatusPyApi($modelRunId: ID!, $data: UpdateTrainingPipelineInput!)"
    "{updateTrainingPipeline(modelRun: {id: $modelRunId}, data: $data){status}}"
)
GET_TRAINING_PIPELINE = (
    "query trainingPipelinePyApi($modelRunId: ID!)"
    "{trainingPipeline(where: {id: $modelRunId}){status errorMessage metadata}}"
)

# -- model-run data rows ---------------------------------------------------------
UPSERT_DATA_ROWS = (
    "mutation createMEAModelRunDataRowRegistrationTaskPyApi($modelRunId: ID!, $dataRowIds: [ID!], $globalKeys: [ID!])"
    "{createMEAModelRunDataRowRegistrationTask(where: {id: $modelRunId}, "
    "data: {dataRowIds: $dataRowIds, globalKeys: $globalKeys})}"
)
DATA_ROW_REGISTRATION_STATUS = (
    "query MEADataRowRegistrationTaskStatusPyApi($where: WhereUniqueIdInput!)"
    "{MEADataRowRegistrationTaskStatus(where: $where){status errorMessage}}"
)
UPSERT_LABELS = (
    "mutation createMEAModelRunLabelRegistrationTaskPyApi($modelRunId: ID!, $labelIds: [ID!]!)"
    "{createMEAModelRunLabelRegistrationTask(where: {id: $modelRunId}, data: {labelIds: $labelIds})}"
)
UPSERT_PROJECT_LABELS = (
    "mutation createMEAModelRunProjectLabelRegistrationTaskPyApi($modelRunId: ID!, $projectId: ID!)"
    "{createMEAModelRunProjectLabelRegistrationTask(where: {modelRunId: $modelRunId, projectId: $projectId})}"
)
LABEL_REGISTRATION_STATUS = (
    "query MEALabelRegistrationTaskStatusPyApi($where: WhereUniqueIdInput!)"
    "{MEALabelRegistrationTaskStatus(where: $where){status errorMessage}}"
)
DELETE_MODEL_RUN_DATA_ROWS = (
    "mutation DeleteModelRunDataRowsPyApi($modelRunId: ID!, $dataRowIds: [ID!]!)"
    "{deleteModelRunDataRows(where: {modelRunId: $modelRunId, dataRowIds: $dataRowIds})}"
)
MODEL_RUN_DATA_ROWS = (
    "query modelRunPyApi($modelRunId: ID!, $from: String, $first: Int)"
    "{annotationGroups(where: {modelRunId: {id: $modelRunId}}, after: $from, first: $first)"
    f"{{nodes{{dataSplit labelId modelRunId id dataRow{{{DATA_ROW_FIELDS}}}}} pageInfo{{endCursor}}}}}}"
)
ASSIGN_DATA_SPLIT = (
    "mutation assignDataSplitPyApi($modelRunId: ID!, $data: CreateAssignDataRowsToDataSplitTaskInput!)"
    "{createAssignDataRowsToDataSplitTask(modelRun: {id: $modelRunId}, data: $data)}"
)
DATA_SPLIT_STATUS = (
    "query assignDataRowsToDataSplitTaskStatusPyApi($id: ID!)"
    "{assignDataRowsToDataSplitTaskStatus(where: {id: $id}){status errorMessage}}"
)

# -- tasks -------------------------------------------------------------------------
GET_TASK = (
    "query GetUserCreatedTasksPyApi($userId: ID!, $taskId: ID!)"
    f"{{user(where: {{id: $userId}}){{createdTasks(where: {{id: $taskId}} skip: 0 first: 1){{{TASK_FIELDS}}}}}}}"
)

# -- exports -------------------------------------------------------------------------
EXPORT_MODEL_RUN = (
    "mutation exportDataRowsInModelRunPyApi($input: ExportDataRowsInModelRunInput!)"
    "{exportDataRowsInModelRun(input: $input){taskId isStreamable}}"
)
GET_EXPORT_METADATA_HEADER = (
    "query GetExportMetadataHeaderPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!)"
    "{task(where: $where){exportMetadataHeader(streamType: $streamType){totalSize totalLines}}}"
)
GET_EXPORT_FILE_FROM_OFFSET = (
    "query GetExportFileFromOffsetPyApi($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $offset: UInt64!)"
    "{task(where: $where){exportFileFromOffset(streamType: $streamType, offset: $offset)"
    "{offsets {start end} lines {start end} file}}}"
)
# experimental (/_gql): the export v1 of a run's labels
EXPORT_MODEL_RUN_ANNOTATIONS = (
    "mutation exportModelRunAnnotationsPyApi($modelRunId: ID!)"
    "{exportModelRunAnnotations(data: {modelRunId: $modelRunId}){downloadUrl createdAt status}}"
)


def all_documents() -> dict[str, str]:
    """Every document in this module by its constant name; the SDL test walks this."""
    return {name: value for name, value in globals().items() if name.isupper() and isinstance(value, str)
            and value.lstrip().startswith(("query", "mutation"))}
