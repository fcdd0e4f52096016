"""Every GraphQL document the client sends, by name.

They use the operation names, arguments and selections the Labelbox SDK
sends, so the real API accepts them; tests validate each one against the SDL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

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
CURRENT_USER_TIMEZONE = "query CurrentUserPyApi{user{timezone}}"
GET_ORGANIZATION = f"query GetOrganizationPyApi{{organization{{{ORGANIZATION_FIELDS}}}}}"

# the caller's relationships, as the SDK's ORM writes them (Get<Type><Relationship>PyApi, the parent by id)
GET_USER_ORGANIZATION = (
    f"query GetUserOrganizationPyApi($param_0: ID!){{user(where: {{id: $param_0}}){{organization{{{ORGANIZATION_FIELDS}}}}}}}"
)
GET_USER_CREATED_TASKS = (
    "query GetUserCreatedTasksPyApi($param_0: ID!, $skip: Int, $first: Int){user(where: {id: $param_0})"
    f"{{createdTasks(skip: $skip first: $first){{{TASK_FIELDS}}}}}}}"
)
GET_USER_PROJECTS = (
    "query GetUserProjectsPyApi($param_0: ID!, $where: ProjectWhereInput, $skip: Int, $first: Int)"
    f"{{user(where: {{id: $param_0}}){{projects(where: $where skip: $skip first: $first){{{PROJECT_FIELDS}}}}}}}"
)
GET_ORGANIZATION_USERS = (
    "query GetOrganizationUsersPyApi($param_0: ID!, $skip: Int, $first: Int){organization(where: {id: $param_0})"
    f"{{users(skip: $skip first: $first){{{USER_FIELDS}}}}}}}"
)
GET_ORGANIZATION_PROJECTS = (
    "query GetOrganizationProjectsPyApi($param_0: ID!, $where: ProjectWhereInput, $skip: Int, $first: Int)"
    f"{{organization(where: {{id: $param_0}}){{projects(where: $where skip: $skip first: $first){{{PROJECT_FIELDS}}}}}}}"
)
GET_ORGANIZATION_TASKS = (
    "query GetOrganizationTasksPyApi($param_0: ID!, $skip: Int, $first: Int){organization(where: {id: $param_0})"
    f"{{tasks(skip: $skip first: $first){{{TASK_FIELDS}}}}}}}"
)
GET_USERS = (
    "query GetUsersPyApi($where: UserWhereInput, $skip: Int, $first: Int)"
    f"{{users(where: $where skip: $skip first: $first){{{USER_FIELDS}}}}}"
)

# -- single entities ---------------------------------------------------------
GET_MODEL = f"query GetModelPyApi($id: ID!){{model(where: {{id: $id}}){{{MODEL_FIELDS}}}}}"
GET_MODEL_RUN = f"query GetModelRunPyApi($id: ID!){{modelRun(where: {{id: $id}}){{{MODEL_RUN_FIELDS}}}}}"
GET_PROJECT = f"query GetProjectPyApi($id: ID!){{project(where: {{id: $id}}){{{PROJECT_FIELDS}}}}}"
GET_DATA_ROW = f"query GetDataRowPyApi($id: ID!){{dataRow(where: {{id: $id}}){{{DATA_ROW_FIELDS}}}}}"

# -- lists (offset pages; skip and first are variables here) -----------------
GET_MODELS = (
    "query GetModelsPyApi($where: ModelWhereInput, $skip: Int, $first: Int)"
    f"{{models(where: $where skip: $skip first: $first){{{MODEL_FIELDS}}}}}"
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

# what the SDK's Client.cancel_task sends: the cancelable types (PascalCase), then the cancel itself
GET_CANCELABLE_TASK_TYPES = "query GetCancelableTaskTypesPyApi{cancelableTaskTypes}"
CANCEL_TASK = "mutation CancelTaskPyApi($id: ID!){cancelBulkOperationJob(id: $id){success}}"

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

# -- prediction imports ---------------------------------------------------------------
IMPORT_FIELDS = "errorFileUrl inputFileUrl modelRunId name progress state statusFileUrl id"
MAL_IMPORT_FIELDS = f"errorFileUrl inputFileUrl name progress state statusFileUrl id project{{{PROJECT_FIELDS}}}"
CREATE_MEA_IMPORT_BY_FILE = (
    "mutation createMEAPredictionImportByFilePyApi($modelRunId: ID!, $name: String!, $file: Upload!, "
    "$contentLength: Int!){createModelErrorAnalysisPredictionImport(data: {modelRunId: $modelRunId, name: $name, "
    f"filePayload: {{file: $file, contentLength: $contentLength}}}}){{{IMPORT_FIELDS}}}}}"
)
CREATE_MEA_IMPORT_BY_URL = (
    "mutation createMEAPredictionImportByUrlPyApi($modelRunId: ID!, $name: String!, $fileUrl: String!)"
    "{createModelErrorAnalysisPredictionImport(data: {modelRunId: $modelRunId, name: $name, fileUrl: $fileUrl})"
    f"{{{IMPORT_FIELDS}}}}}"
)
GET_MEA_IMPORT = (
    "query getModelErrorAnalysisPredictionImportPyApi($modelRunId: ID!, $name: String!)"
    "{modelErrorAnalysisPredictionImport(where: {modelRunId: $modelRunId, name: $name})"
    f"{{{IMPORT_FIELDS}}}}}"
)
CREATE_MAL_IMPORT_FOR_MODEL_RUN_ROWS = (
    "mutation createMalPredictionImportForModelRunDataRowsPyApi($dataRowIds: [ID!]!, $name: String!, "
    "$modelRunId: ID!, $projectId: ID!){createMalPredictionImportForModelRunDataRows(data: {name: $name, "
    f"modelRunId: $modelRunId, dataRowIds: $dataRowIds, projectId: $projectId}}){{{MAL_IMPORT_FIELDS}}}}}"
)
GET_MAL_IMPORT = (
    "query getMEAToMALPredictionImportPyApi($projectId: ID!, $name: String!)"
    "{meaToMalPredictionImport(where: {projectId: $projectId, name: $name})"
    f"{{{MAL_IMPORT_FIELDS}}}}}"
)
UPLOAD_FILE = (
    "mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean)"
    "{uploadFile(file: $file, contentLength: $contentLength, sign: $sign){url filename}}"
)

# -- batches and task queues (batch writes and lists go to the experimental endpoint) ----
BATCH_FIELDS = "consensusSettingsJson createdAt name size id updatedAt"
TASK_QUEUE_FIELDS = "dataRowCount description name queueType id"
DATA_ROWS_PROCESSED = (
    "query CheckAllDataRowsHaveBeenProcessedPyApi($dataRowIds: [ID!])"
    "{queryAllDataRowsHaveBeenProcessed(dataRowIds: $dataRowIds){allDataRowsHaveBeenProcessed}}"
)
GLOBAL_KEYS_PROCESSED = (
    "query CheckAllDataRowsHaveBeenProcessedPyApi($globalKeys: [ID!])"
    "{queryAllDataRowsHaveBeenProcessed(globalKeys: $globalKeys){allDataRowsHaveBeenProcessed}}"
)
CREATE_BATCH = (
    "mutation createBatchV2PyApi($projectId: ID!, $batchInput: CreateBatchInput!)"
    "{project(where: {id: $projectId}){createBatchV2(input: $batchInput)"
    f"{{batch{{{BATCH_FIELDS}}} failedDataRowIds}}}}}}"
)
CREATE_EMPTY_BATCH = (
    "mutation createEmptyBatchPyApi($projectId: ID!, $input: CreateEmptyBatchInput!)"
    "{project(where: {id: $projectId}){createEmptyBatch(input: $input){id}}}"
)
ADD_DATA_ROWS_TO_BATCH = (
    "mutation addDataRowsToBatchAsyncPyApi($projectId: ID!, $input: AddDataRowsToBatchInput!)"
    "{project(where: {id: $projectId}){addDataRowsToBatchAsync(input: $input){taskId}}}"
)
CREATE_BATCHES = (
    "mutation createBatchesPyApi($projectId: ID!, $input: CreateBatchesInput!)"
    "{project(where: {id: $projectId}){createBatches(input: $input){tasks{batchUuid taskId}}}}"
)
CREATE_BATCHES_FROM_DATASET = (
    "mutation createBatchesFromDatasetPyApi($projectId: ID!, $input: CreateBatchesFromDatasetInput!)"
    "{project(where: {id: $projectId}){createBatchesFromDataset(input: $input){tasks{batchUuid taskId}}}}"
)
GET_PROJECT_BATCH = (
    "query getProjectBatchPyApi($projectId: ID!, $batchId: ID!)"
    f"{{project(where: {{id: $projectId}}){{batches(where: {{id: $batchId}}){{nodes{{{BATCH_FIELDS}}}}}}}}}"
)
GET_PROJECT_BATCHES = (
    "query GetProjectBatchesPyApi($from: String, $first: PageSize, $projectId: ID!)"
    "{project(where: {id: $projectId}){id batches(after: $from, first: $first)"
    f"{{nodes{{{BATCH_FIELDS}}} pageInfo{{endCursor}}}}}}}}"
)
GET_PROJECT_TASK_QUEUES = (
    "query GetProjectTaskQueuesPyApi($projectId: ID!)"
    f"{{project(where: {{id: $projectId}}){{taskQueues{{{TASK_QUEUE_FIELDS}}}}}}}"
)

# -- queue priority (labeling parameter overrides), as the SDK's Project methods send them ---------------
GET_LABELING_PARAMETER_OVERRIDES = (
    "query GetProjectLabelingParameterOverridesPyApi($param_0: ID!, $skip: Int, $first: Int)"
    "{project(where: {id: $param_0}){labelingParameterOverrides(skip: $skip first: $first)"
    f"{{numberOfLabels priority id dataRow{{{DATA_ROW_FIELDS}}}}}}}}}"
)
# The SDK writes the overrides into the document (their input type's name is not public, so no variable
# can carry them): set_labeling_parameter_overrides() below fills the empty list.
SET_LABELING_PARAMETER_OVERRIDES = (
    "mutation SetLabelingParameterOverridesPyApi($projectId: ID!){project(where: { id: $projectId })"
    "{setLabelingParameterOverrides(dataWithDataRowIdentifiers: []){success}}}"
)
CREATE_QUEUE_PRIORITY_UPDATE_TASK = (
    "mutation createQueuePriorityUpdateTaskPyApi($priority: Int!, $projectId: ID!, "
    "$dataRowIdentifiers: QueuePriorityUpdateDataRowIdentifiersInput){project(where: { id: $projectId })"
    "{createQueuePriorityUpdateTask(data: { priority: $priority, dataRowIdentifiers: $dataRowIdentifiers })"
    "{taskId}}}"
)


def set_labeling_parameter_overrides(overrides: Iterable[tuple[str, str, int]]) -> str:
    """SET_LABELING_PARAMETER_OVERRIDES with each (key, id type, priority) written in, as the SDK does,
    except that a key is escaped (the SDK pastes it between quotes as it is)."""
    entries = "".join(
        f"{{dataRowIdentifier: {{id: {json.dumps(key, ensure_ascii=False)}, idType: {_id_type(id_type)}}}, "
        f"priority: {int(priority)}}},"
        for key, id_type, priority in overrides)
    return SET_LABELING_PARAMETER_OVERRIDES.replace("dataWithDataRowIdentifiers: []",
                                                    f"dataWithDataRowIdentifiers: [{entries}]")


def _id_type(id_type: str) -> str:
    # written as an enum literal, so only the two names may go in
    if id_type not in ("ID", "GKEY"):
        raise ValueError(f"idType must be ID or GKEY, got {id_type!r}")
    return id_type

# -- send to annotate ---------------------------------------------------------------------
SEND_TO_ANNOTATE_FROM_MEA = (
    "mutation SendToAnnotateFromMeaPyApi($input: SendToAnnotateFromMeaInput!)"
    "{sendToAnnotateFromMea(input: $input){taskId}}"
)

# -- model run cost and usage (Foundry runs have it; others answer not found) ----------------------
GET_MODEL_RUN_COST_INFO = (
    "query GetModelRunCostInfoPyApi($modelRunId: ID!)"
    "{modelFoundryModelRunInfo(where: {modelRunId: $modelRunId}){cost status totalDataRows}}"
)

# -- model slices ----------------------------------------------------------------------------------
GET_MODEL_SLICE = (
    "query getSavedQueryPyApi($id: ID!)"
    "{getSavedQuery(id: $id){id name description filter createdAt updatedAt}}"
)
GET_MODEL_SLICE_ROWS = (
    "query getDataRowIdenfifiersBySavedModelQueryPyApi($id: ID!, $modelRunId: ID,"
    " $from: DataRowIdentifierCursorInput, $first: Int!)"
    "{getDataRowIdentifiersBySavedModelQuery(input: {savedQueryId: $id, modelRunId: $modelRunId, after: $from,"
    " first: $first}){totalCount nodes{id globalKey} pageInfo{endCursor{dataRowId globalKey} hasNextPage}}}"
)


def all_documents() -> dict[str, str]:
    """Every document in this module by its constant name; the SDL test walks this."""
    return {name: value for name, value in globals().items() if name.isupper() and isinstance(value, str)
            and value.lstrip().startswith(("query", "mutation"))}

# -- ontologies and projects (what the SDK's create_ontology, get_ontologies, create_project,
#    get_projects, Project.labels/connect_ontology/delete, Batch.delete and Label.delete send) --------
ONTOLOGY_FIELDS = (
    "classificationSchemaCount createdAt description mediaType name normalized objectSchemaCount id updatedAt"
)
LABEL_FIELDS = "agreement benchmarkAgreement createdAt isBenchmarkReference label secondsToLabel id updatedAt"
LABELING_FRONTEND_FIELDS = "description iframeUrlPath name id"
CREATE_ONTOLOGY = (
    "mutation upsertRootSchemaNodePyApi($data:  UpsertOntologyInput!)"
    f"{{upsertOntology(data: $data){{ {ONTOLOGY_FIELDS} }}}}"
)
GET_ONTOLOGY = f"query GetOntologyPyApi($param_0: ID!){{ontology(where: {{id: $param_0}}){{{ONTOLOGY_FIELDS}}}}}"
GET_ONTOLOGIES = (
    "query getOntologiesPyApi($search: String, $filter: OntologyFilter, $from : String, $first: PageSize)"
    "{ontologies(where: {filter: $filter, search: $search}, after: $from, first: $first)"
    f"{{nodes {{{ONTOLOGY_FIELDS}}} nextCursor}}}}"
)
GET_PROJECT_ONTOLOGY = (
    f"query GetProjectOntologyPyApi($param_0: ID!){{project(where: {{id: $param_0}}){{ontology{{{ONTOLOGY_FIELDS}}}}}}}"
)
GET_ONTOLOGY_CREATED_BY = (
    f"query GetOntologyCreatedByPyApi($param_0: ID!){{ontology(where: {{id: $param_0}}){{createdBy{{{USER_FIELDS}}}}}}}"
)
GET_ONTOLOGY_PROJECTS = (
    "query GetOntologyProjectsPyApi($param_0: ID!, $where: ProjectWhereInput, $skip: Int, $first: Int)"
    f"{{ontology(where: {{id: $param_0}}){{projects(where: $where skip: $skip first: $first){{{PROJECT_FIELDS}}}}}}}"
)
GET_PROJECT_CREATED_BY = (
    f"query GetProjectCreatedByPyApi($param_0: ID!){{project(where: {{id: $param_0}}){{createdBy{{{USER_FIELDS}}}}}}}"
)
GET_PROJECT_ORGANIZATION = (
    "query GetProjectOrganizationPyApi($param_0: ID!)"
    f"{{project(where: {{id: $param_0}}){{organization{{{ORGANIZATION_FIELDS}}}}}}}"
)
CLONE_PROJECT = "mutation CloneProjectPyApi($projectId: ID!) {cloneProject(data: { projectId: $projectId }) {id}}"
# the SDK writes the queue type into the document (an enum literal), one document per type
EXTEND_RESERVATIONS = {
    queue_type: "mutation ExtendReservationsPyApi($projectId: ID!)"
                f"{{extendReservations(projectId:$projectId queueType:{queue_type})}}"
    for queue_type in ("LabelingQueue", "ReviewQueue")
}
EXTEND_LABELING_RESERVATIONS = EXTEND_RESERVATIONS["LabelingQueue"]  # named, so the SDL test validates them
EXTEND_REVIEW_RESERVATIONS = EXTEND_RESERVATIONS["ReviewQueue"]
SET_PROJECT_MODEL_SETUP_COMPLETE = (
    "mutation SetProjectModelSetupCompletePyApi($projectId: ID!){setProjectModelSetupComplete("
    "where: {id: $projectId}, data: {modelSetupComplete: true}){modelSetupComplete}}"
)
CLEAR_QUEUE_RESERVATIONS = (
    "mutation ClearQueueReservationsPyApi($input: ClearQueueReservationsInput!)"
    "{clearQueueReservations(input: $input){success clearedReservationCount}}"
)
MOVE_DATA_ROWS_TO_TASK_QUEUE = (
    "mutation AddDataRowsToTaskQueueAsyncPyApi($projectId: ID!, $queueId: ID,"
    " $dataRowIdentifiers: AddRowsToTaskQueueViaDataRowIdentifiersInput!)"
    "{project(where: { id: $projectId }){createBulkAddRowsToQueueTask("
    "data: { queueId: $queueId, dataRowIdentifiers: $dataRowIdentifiers }){taskId}}}"
)
FEATURE_SCHEMA_FIELDS = "name name normalized id"  # the SDK asks for `name` twice (its `color` field says so)
CREATE_FEATURE_SCHEMA = (
    "mutation upsertRootSchemaNodePyApi($data:  UpsertRootSchemaNodeInput!)"
    f"{{upsertRootSchemaNode(data: $data){{ {FEATURE_SCHEMA_FIELDS} }}}}"
)
GET_FEATURE_SCHEMA = (
    "query rootSchemaNodePyApi($rootSchemaNodeWhere: RootSchemaNodeWhere!)"
    f"{{rootSchemaNode(where: $rootSchemaNodeWhere){{{FEATURE_SCHEMA_FIELDS}}}}}"
)
GET_FEATURE_SCHEMAS = (
    "query rootSchemaNodesPyApi($search: String, $filter: RootSchemaNodeFilter, $from : String, $first: PageSize)"
    "{rootSchemaNodes(where: {filter: $filter, search: $search}, after: $from, first: $first)"
    f"{{nodes {{{FEATURE_SCHEMA_FIELDS}}} nextCursor}}}}"
)
CREATE_PROJECT = (
    "mutation CreateProjectPyApi($name: String!, $description: String, $allowedMediaType: MediaType!, "
    "$autoAuditPercentage: Float, $autoAuditNumberOfLabels: Int, $isBenchmarkEnabled: Boolean, "
    "$isConsensusEnabled: Boolean){createProject(data: {name: $name description: $description "
    "allowedMediaType: $allowedMediaType autoAuditPercentage: $autoAuditPercentage "
    "autoAuditNumberOfLabels: $autoAuditNumberOfLabels isBenchmarkEnabled: $isBenchmarkEnabled "
    f"isConsensusEnabled: $isConsensusEnabled}}) {{{PROJECT_FIELDS}}}}}"
)
GET_PROJECTS = (
    "query GetProjectsPyApi($where: ProjectWhereInput, $skip: Int, $first: Int)"
    f"{{projects(where: $where skip: $skip first: $first){{{PROJECT_FIELDS}}}}}"
)
UPDATE_PROJECT = (
    "mutation updateProjectPyApi($projectId: ID!, $data: ProjectUpdateInput!)"
    f"{{updateProject(where: {{id: $projectId}} data: $data) {{{PROJECT_FIELDS}}}}}"
)
DELETE_PROJECT = (
    "mutation deleteProjectPyApi($ProjectId: ID!){updateProject(where: {id: $ProjectId} data: {deleted: true}) {id}}"
)
GET_LABEL_COUNT = "query LabelCountPyApi($projectId: ID!) {project(where: {id: $projectId}) {labelCount}}"
GET_LABELING_FRONTEND = (
    "query GetProjectLabelingFrontendPyApi($param_0: ID!)"
    f"{{project(where: {{id: $param_0}}){{labelingFrontend{{{LABELING_FRONTEND_FIELDS}}}}}}}"
)
CONNECT_ONTOLOGY = (
    "mutation ConnectOntologyPyApi($projectId: ID!, $ontologyId: ID!)"
    "{project(where: {id: $projectId}) {connectOntology(ontologyId: $ontologyId) {id}}}"
)
TOGGLE_MAL = (
    "mutation toggle_model_assisted_labelingPyApi($project_id: ID!, $show: Boolean!) "
    "{project(where: {id: $project_id }) {showPredictionsToLabelers(show: $show) {id, showingPredictionsToLabelers}}}"
)
GET_PROJECT_LABELS = (
    "query GetProjectLabelsPyApi($projectId: ID!, $skip: Int, $first: Int, $where: LabelWhereInput, "
    "$orderBy: LabelOrderByInput)"
    f"{{project (where: {{id: $projectId}}) {{labels (skip: $skip first: $first where: $where orderBy: $orderBy) "
    f"{{{LABEL_FIELDS}}}}}}}"
)
GET_LABEL_PROJECT = f"query GetLabelProjectPyApi($param_0: ID!){{label(where: {{id: $param_0}}){{project{{{PROJECT_FIELDS}}}}}}}"
GET_LABEL_DATA_ROW = (
    f"query GetLabelDataRowPyApi($param_0: ID!){{label(where: {{id: $param_0}}){{dataRow{{{DATA_ROW_FIELDS}}}}}}}"
)
DELETE_LABELS = "mutation deleteLabelsPyApi($labelIds: [ID!]!){deleteLabels(labelIds: $labelIds){id}}"
GET_LABEL_CREATED_BY = (
    f"query GetLabelCreatedByPyApi($param_0: ID!){{label(where: {{id: $param_0}}){{createdBy{{{USER_FIELDS}}}}}}}"
)
DELETE_BATCH_LABELS = (
    "mutation DeleteBatchLabelsPyApi($projectId: ID!, $batchId: ID!, $type: DeleteBatchLabelsType!) "
    "{project(where: {id: $projectId}) { deleteBatchLabels(batchId: $batchId, data:{ type: $type }) "
    "{ deletedLabelIds } }}"
)
# the SDK's Batch.created_by: its relationship is named `user` on the wire
GET_BATCH_CREATED_BY = f"query GetBatchUserPyApi($param_0: ID!){{batch(where: {{id: $param_0}}){{user{{{USER_FIELDS}}}}}}}"
REMOVE_QUEUED_DATA_ROWS = (
    "mutation RemoveQueuedDataRowsFromBatchPyApi($projectId: ID!, $batchId: ID!) "
    "{project(where: {id: $projectId}) {removeQueuedDataRowsFromBatch(batchId: $batchId) {id}}}"
)
DELETE_BATCH = (
    "mutation DeleteBatchPyApi($projectId: ID!, $batchId: ID!) "
    "{project(where: {id: $projectId}) {deleteBatch(batchId: $batchId) {deletedBatchId}}}"
)


# -- catalog: datasets, data rows, global keys, label imports, project and catalog exports --------------
DATASET_FIELDS = "createdAt description name rowCount id updatedAt"
CREATE_DATASET = (
    "mutation CreateDatasetPyApi($name: String!, $description: String)"
    f"{{createDataset(data: {{name: $name description: $description}}) {{{DATASET_FIELDS}}}}}"
)
GET_DATASET = f"query GetDatasetPyApi($id: ID!){{dataset(where: {{id: $id}}){{{DATASET_FIELDS}}}}}"
GET_DATASETS = (
    "query GetDatasetsPyApi($where: DatasetWhereInput, $skip: Int, $first: Int)"
    f"{{datasets(where: $where skip: $skip first: $first){{{DATASET_FIELDS}}}}}"
)
UPDATE_DATASET = (
    "mutation updateDatasetPyApi($id: ID!, $data: DatasetUpdateInput!)"
    f"{{updateDataset(where: {{id: $id}} data: $data) {{{DATASET_FIELDS}}}}}"
)
DATASET_DATA_ROWS = (
    "query DatasetDataRowsPyApi($id: ID!, $from: ID, $first: Int, $where: DatasetDataRowWhereInput)"
    "{datasetDataRows(id: $id, from: $from, first: $first, where: $where)"
    f"{{nodes {{{DATA_ROW_FIELDS}}} pageInfo {{hasNextPage startCursor}}}}}}"
)
DATA_ROW_DATASET = (
    f"query DataRowDatasetPyApi($id: ID!){{dataRow(where: {{id: $id}}){{dataset{{{DATASET_FIELDS}}}}}}}"
)
DATA_ROW_ATTACHMENTS = (
    "query DataRowAttachmentsPyApi($id: ID!){dataRow(where: {id: $id}){attachments{name type value id}}}"
)
UPSERT_DATA_ROWS_FROM_MANIFEST = (
    "mutation UpsertDataRowsPyApi($manifestUri: String!)"
    "{upsertDataRows(data: { manifestUri: $manifestUri })"
    "{id createdAt updatedAt name status completionPercentage result errors type metadata}}"
)
SUCCESSFUL_DATA_ROW_IMPORTS = (
    "query SuccessesfulDataRowImportsPyApi($taskId: ID!, $first: Int, $from: String)"
    "{successesfulDataRowImports(data: { taskId: $taskId, first: $first, from: $from})"
    "{nodes {id externalId globalKey rowData} after total}}"
)
FAILED_DATA_ROW_IMPORTS = (
    "query FailedDataRowImportsPyApi($taskId: ID!, $first: Int, $from: String)"
    "{failedDataRowImports(data: { taskId: $taskId, first: $first, from: $from})"
    "{after total results {message spec {externalId globalKey rowData metadata {schemaId value name} "
    "attachments {type value name}}}}}"
)
DELETE_DATA_ROWS = "mutation deleteDataRowsPyApi($ids: [ID!]!){deleteDataRows(where: {dataRowIds: $ids}){id}}"
DATA_ROWS_FOR_GLOBAL_KEYS = (
    "query getDataRowsForGlobalKeysPyApi($globalKeys: [ID!]!)"
    "{dataRowsForGlobalKeys(where: {ids: $globalKeys}) { jobId}}"
)
DATA_ROWS_FOR_GLOBAL_KEYS_RESULT = (
    "query getDataRowsForGlobalKeysResultPyApi($jobId: ID!)"
    "{dataRowsForGlobalKeysResult(jobId: {id: $jobId}) { data {fetchedDataRows { id } notFoundGlobalKeys "
    "accessDeniedGlobalKeys} jobStatus}}"
)
GET_METADATA_ONTOLOGY = (
    "query GetMetadataOntologyBetaPyApi{customMetadataOntology {id name kind reserved "
    "options {id kind name reserved}}}"
)
# what the SDK's DataRowMetadataOntology.create_schema / update_schema / delete_schema send
UPSERT_METADATA_SCHEMA = (
    "mutation UpsertCustomMetadataSchemaPyApi($data: UpsertCustomMetadataSchemaInput!){"
    "upsertCustomMetadataSchema(data: $data){id name kind options {id name kind}}}"
)
DELETE_METADATA_SCHEMA = (
    "mutation DeleteCustomMetadataSchemaPyApi($where: WhereUniqueIdInput!){"
    "deleteCustomMetadataSchema(schema: $where){success}}"
)
# what the SDK's DataRowMetadataOntology.bulk_upsert / bulk_delete / bulk_export send
UPSERT_DATA_ROW_METADATA = (
    "mutation UpsertDataRowMetadataBetaPyApi($metadata: [DataRowCustomMetadataBatchUpsertInput!]!){"
    "upsertDataRowCustomMetadata(data: $metadata){globalKey dataRowId error fields {value schemaId}}}"
)
DELETE_DATA_ROW_METADATA = (
    "mutation DeleteDataRowMetadataBetaPyApi($deletes: [DataRowIdentifierCustomMetadataBatchDeleteInput!]){"
    "deleteDataRowCustomMetadata(dataRowIdentifiers: $deletes){dataRowId error fields {value schemaId}}}"
)
EXPORT_DATA_ROW_METADATA = (
    "query dataRowCustomMetadataPyApi($dataRowIdentifiers: DataRowCustomMetadataDataRowIdentifiersInput){"
    "dataRowCustomMetadata(where: {dataRowIdentifiers : $dataRowIdentifiers}){dataRowId globalKey "
    "fields {value schemaId}}}"
)
GET_DATASET_CREATED_BY = (
    f"query GetDatasetCreatedByPyApi($param_0: ID!){{dataset(where: {{id: $param_0}}){{createdBy{{{USER_FIELDS}}}}}}}"
)
GET_DATASET_ORGANIZATION = (
    "query GetDatasetOrganizationPyApi($param_0: ID!)"
    f"{{dataset(where: {{id: $param_0}}){{organization{{{ORGANIZATION_FIELDS}}}}}}}"
)
# what the SDK's DataRow relationships (created_by, organization, labels) and DataRow.update send
GET_DATA_ROW_CREATED_BY = (
    f"query GetDataRowCreatedByPyApi($param_0: ID!){{dataRow(where: {{id: $param_0}}){{createdBy{{{USER_FIELDS}}}}}}}"
)
GET_DATA_ROW_ORGANIZATION = (
    "query GetDataRowOrganizationPyApi($param_0: ID!)"
    f"{{dataRow(where: {{id: $param_0}}){{organization{{{ORGANIZATION_FIELDS}}}}}}}"
)
# the SDK writes skip and first into the document, and `where: {deleted: false}` (a to-many relationship
# leaves deleted labels out); here they are variables, the filter as LabelWhereInput
GET_DATA_ROW_LABELS = (
    "query GetDataRowLabelsPyApi($param_1: ID!, $where: LabelWhereInput, $skip: Int, $first: Int, "
    "$orderBy: LabelOrderByInput){dataRow(where: {id: $param_1})"
    f"{{labels(where: $where skip: $skip first: $first orderBy: $orderBy){{{LABEL_FIELDS}}}}}}}"
)
GET_WINNING_LABEL_ID = (
    "query GetWinningLabelIdPyApi($dataRowId: ID!, $projectId: ID!){dataRow(where: { id: $dataRowId }) {"
    "labelingActivity(where: { projectId: $projectId }) {selectedLabelId}}}"
)
UPDATE_DATA_ROW = (
    "mutation updateDataRowPyApi($DataRowId: ID!, $data: DataRowUpdateInput!)"
    f"{{updateDataRow(where: {{id: $DataRowId}} data: $data) {{{DATA_ROW_FIELDS}}}}}"
)
GET_DATA_ROW_IDS_FOR_EXTERNAL_IDS = (
    "query externalIdsToDataRowIdsPyApi($externalId_in: [String!]!)"
    "{externalIdsToDataRowIds(externalId_in: $externalId_in) { dataRowId externalId }}"
)
ASSIGN_GLOBAL_KEYS = (
    "mutation assignGlobalKeysToDataRowsPyApi($globalKeyDataRowLinks: [AssignGlobalKeyToDataRowInput!]!)"
    "{assignGlobalKeysToDataRows(data: {assignInputs: $globalKeyDataRowLinks}) {jobId}}"
)
_ASSIGNMENT = "{dataRowId globalKey}"
ASSIGN_GLOBAL_KEYS_RESULT = (
    "query assignGlobalKeysToDataRowsResultPyApi($jobId: ID!)"
    "{assignGlobalKeysToDataRowsResult(jobId: {id: $jobId}) {jobStatus data {"
    f"sanitizedAssignments {_ASSIGNMENT} invalidGlobalKeyAssignments {_ASSIGNMENT} "
    f"unmodifiedAssignments {_ASSIGNMENT} accessDeniedAssignments {_ASSIGNMENT}}}}}}}"
)
CLEAR_GLOBAL_KEYS = "mutation clearGlobalKeysPyApi($globalKeys: [ID!]!){clearGlobalKeys(where: {ids: $globalKeys}) {jobId}}"
CLEAR_GLOBAL_KEYS_RESULT = (
    "query clearGlobalKeysResultPyApi($jobId: ID!){clearGlobalKeysResult(jobId: {id: $jobId}) {data {"
    "clearedGlobalKeys failedToClearGlobalKeys notFoundGlobalKeys accessDeniedGlobalKeys} jobStatus}}"
)
# what the SDK's DataRow.create_attachment and AssetAttachment.update / delete send
ATTACHMENT_FIELDS = "name type value id"
CREATE_DATA_ROW_ATTACHMENT = (
    "mutation CreateDataRowAttachmentPyApi($type: AttachmentType!, $value: String!, $name: String, "
    "$dataRowId: ID!){createDataRowAttachment(data: {type: $type value: $value name: $name "
    f"dataRowId: $dataRowId}}) {{{ATTACHMENT_FIELDS}}}}}"
)
UPDATE_DATA_ROW_ATTACHMENT = (
    "mutation updateDataRowAttachmentPyApi($attachment_id: ID!, $name: String, $type: AttachmentType, "
    "$value: String){updateDataRowAttachment(where: {id: $attachment_id}, "
    "data: {name: $name, type: $type, value: $value}) { id name type value }}"
)
DELETE_DATA_ROW_ATTACHMENT = (
    "mutation deleteDataRowAttachmentPyApi($attachment_id: ID!){"
    "deleteDataRowAttachment(where: {id: $attachment_id}) {id}}"
)
PROJECT_IMPORT_FIELDS = MAL_IMPORT_FIELDS
CREATE_LABEL_IMPORT_BY_FILE = (
    "mutation createLabelImportByFilePyApi($projectId: ID!, $name: String!, $file: Upload!, $contentLength: Int!)"
    "{createLabelImport(data: {projectId: $projectId name: $name "
    f"filePayload: {{file: $file, contentLength: $contentLength}}}}) {{{PROJECT_IMPORT_FIELDS}}}}}"
)
CREATE_LABEL_IMPORT_BY_URL = (
    "mutation createLabelImportByUrlPyApi($projectId: ID!, $name: String!, $fileUrl: String!)"
    f"{{createLabelImport(data: {{projectId: $projectId name: $name fileUrl: $fileUrl}}) {{{PROJECT_IMPORT_FIELDS}}}}}"
)
GET_LABEL_IMPORT = (
    "query getLabelImportPyApi($projectId: ID!, $name: String!)"
    f"{{labelImport(where: {{projectId: $projectId, name: $name}}){{{PROJECT_IMPORT_FIELDS}}}}}"
)
CREATE_MAL_IMPORT_BY_FILE = (
    "mutation createMALPredictionImportByFilePyApi($projectId: ID!, $name: String!, $file: Upload!, "
    "$contentLength: Int!){createModelAssistedLabelingPredictionImport(data: {projectId: $projectId name: $name "
    f"filePayload: {{file: $file, contentLength: $contentLength}}}}) {{{PROJECT_IMPORT_FIELDS}}}}}"
)
CREATE_MAL_IMPORT_BY_URL = (
    "mutation createMALPredictionImportByUrlPyApi($projectId: ID!, $name: String!, $fileUrl: String!)"
    "{createModelAssistedLabelingPredictionImport(data: {projectId: $projectId name: $name fileUrl: $fileUrl}) "
    f"{{{PROJECT_IMPORT_FIELDS}}}}}"
)
GET_MAL_PROJECT_IMPORT = (
    "query getModelAssistedLabelingPredictionImportPyApi($projectId: ID!, $name: String!)"
    f"{{modelAssistedLabelingPredictionImport(where: {{projectId: $projectId, name: $name}}){{{PROJECT_IMPORT_FIELDS}}}}}"
)
GET_LABEL_IMPORTS = (
    "query getLabelImportsPyApi($projectId: ID!, $skip: Int, $first: Int)"
    f"{{labelImports(skip: $skip, first: $first, where: {{projectId: $projectId}}){{{PROJECT_IMPORT_FIELDS}}}}}"
)
GET_MAL_PROJECT_IMPORTS = (
    "query getModelAssistedLabelingPredictionImportsPyApi($projectId: ID!, $skip: Int, $first: Int)"
    "{modelAssistedLabelingPredictionImports(skip: $skip, first: $first, where: {projectId: $projectId})"
    f"{{{PROJECT_IMPORT_FIELDS}}}}}"
)
DELETE_MAL_PROJECT_IMPORT = (
    "mutation deleteModelAssistedLabelingPredictionImportPyApi($id: ID!)"
    "{deleteModelAssistedLabelingPredictionImport(where: {id: $id}) {id}}"
)
EXPORT_PROJECT = (
    "mutation exportDataRowsInProjectPyApi($input: ExportDataRowsInProjectInput!)"
    "{exportDataRowsInProject(input: $input){taskId isStreamable}}"
)
EXPORT_CATALOG = (
    "mutation exportDataRowsInCatalogPyApi($input: ExportDataRowsInCatalogInput!)"
    "{exportDataRowsInCatalog(input: $input){taskId isStreamable}}"
)

# -- projects, part 2: instructions, send to annotate from the catalog, Foundry apps and runs ------------
SET_PROJECT_INSTRUCTIONS = (
    "mutation setprojectinsructionsPyApi($projectId: ID!, $instructions_url: String!)"
    "{setProjectInstructions(where: {id: $projectId}, data: {instructionsUrl: $instructions_url})"
    "{id ontology{id options}}}"
)
SEND_TO_ANNOTATE_FROM_CATALOG = (
    "mutation SendToAnnotateFromCatalogPyApi($input: SendToAnnotateFromCatalogInput!)"
    "{sendToAnnotateFromCatalog(input: $input){taskId}}"
)
FOUNDRY_APP_FIELDS = "id modelId name description inferenceParams classToSchemaId ontologyId createdBy"
CREATE_FOUNDRY_APP = (
    "mutation CreateFoundryAppPyApi($name: String!, $modelId: ID!, $ontologyId: ID!, $description: String, "
    "$inferenceParams: Json!, $classToSchemaId: Json!)"
    "{createModelFoundryApp(input: {name: $name modelId: $modelId ontologyId: $ontologyId description: $description "
    f"inferenceParams: $inferenceParams classToSchemaId: $classToSchemaId}}){{{FOUNDRY_APP_FIELDS}}}}}"
)
GET_FOUNDRY_APP = (
    f"query GetFoundryAppByIdPyApi($id: ID!){{findModelFoundryApp(where: {{id: $id}}){{{FOUNDRY_APP_FIELDS}}}}}"
)
DELETE_FOUNDRY_APP = "mutation DeleteFoundryAppPyApi($id: ID!){deleteModelFoundryApp(id: $id){success}}"
CREATE_MODEL_JOB = (
    "mutation CreateModelJobPyApi($input: CreateModelJobForDataRowsInput!)"
    "{createModelJobForDataRows(input: $input){taskId __typename}}"
)

# Mutations whose second application changes nothing the first did not (set or merge the same
# values), so the client retries them as it retries queries. Every other mutation is retried only
# where the request provably never reached the server.
IDEMPOTENT_MUTATIONS = frozenset({UPDATE_MODEL_RUN_CONFIG, RESET_MODEL_RUN_CONFIG, UPDATE_TRAINING_PIPELINE,
                                  UPSERT_DATA_ROW_METADATA, UPDATE_DATA_ROW_ATTACHMENT, UPDATE_DATA_ROW,
                                  SET_PROJECT_MODEL_SETUP_COMPLETE})
