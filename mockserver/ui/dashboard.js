// The mock's dashboard: polls the /_mock/ admin API with the key the user entered and draws
// what it answers. No state of its own beyond the key (sessionStorage, this tab only);
// every element is built with textContent, never from HTML strings.
"use strict";

(() => {
  const KEY_STORE = "labelbox-mock.api-key";
  const POLL_MS = 1000;
  const JOURNAL_SHOWN = 500;
  const JOURNAL_KEPT = 10000; // the journal's own default size: older entries drop off the page too
  const JOURNAL_PAGE = 1000; // entries per request; a tick fetches pages until it has caught up

  let apiKey = sessionStorage.getItem(KEY_STORE) || "";
  let inFlight = false;
  let rendered = {}; // section id -> the JSON it was last drawn from
  let journal = []; // the entries fetched so far, oldest first, so a filter change redraws at once
  let journalCursor = 0; // the seq of the last entry fetched: each tick asks only for newer ones
  let journalDropped = 0; // entries dropped off the front, so the numbers in the # column stay put
  let journalVersion = 0; // bumped when the entries change: the journal is redrawn only then
  let journalGeneration = 0; // bumped when the page forgets the journal (another key): late answers are dropped

  const $ = (id) => document.getElementById(id);

  function h(tag, props, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") element.className = value;
      else element.setAttribute(name, value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : String(child));
    }
    return element;
  }

  function table(headings, rows, props) {
    return h("table", props, h("thead", null, h("tr", null, headings.map((t) => h("th", null, t)))),
      h("tbody", null, rows));
  }

  const empty = (text) => h("p", { class: "empty" }, text);
  const badge = (status) => h("span", { class: `badge ${String(status).toLowerCase().replace(/[^a-z0-9]+/g, "-")}` }, status);
  const shortId = (id) => h("code", { class: "id", title: id }, id);

  function formatTime(seconds) {
    if (typeof seconds !== "number") return "–";
    return new Date(seconds * 1000).toISOString().replace("T", " ").replace("Z", " UTC");
  }

  function formatClock(seconds) {
    return typeof seconds === "number" ? new Date(seconds * 1000).toISOString().slice(11, 23) : "–";
  }

  function formatSeconds(seconds) {
    if (seconds < 60) return `${seconds.toFixed(1)} s`;
    const whole = Math.round(seconds); // rounded once, so 599.9 s reads 10 min 0 s, not 9 min 60 s
    if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
    return `${(seconds / 3600).toFixed(1)} h`;
  }

  function formatBytes(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  }

  // Keys never reach the page's text: variables named like a secret, the entered key
  // wherever it appears, and the token of a signed file URL are replaced.
  const SECRET_NAME = /^(api[-_]?key|token|access[-_]?token|secret|password|authorization)$|(ApiKey|Token|Secret|Password)$/i;

  function redact(value, name) {
    if (name && SECRET_NAME.test(name) && value !== null) return "«redacted»";
    if (typeof value === "string") {
      const text = apiKey ? value.split(apiKey).join("«key»") : value;
      return text.replace(/(\/_files\/)[^\s"?#/]+/g, "$1«token»");
    }
    if (Array.isArray(value)) return value.map((item) => redact(item));
    if (value && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
    }
    return value;
  }

  async function api(method, path, body) {
    const init = { method, cache: "no-store", headers: { Authorization: `Bearer ${apiKey}` } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let payload = null;
    try {
      payload = await response.json();
    } catch (_error) {
      payload = null;
    }
    if (!response.ok) {
      const reason = payload && (payload.error || (payload.errors && payload.errors[0] && payload.errors[0].message));
      const error = new Error(`${method} ${path} answered HTTP ${response.status}${reason ? `: ${reason}` : ""}`);
      error.status = response.status;
      throw error;
    }
    return payload;
  }

  function setStatus(text, state) {
    const status = $("status");
    status.textContent = text;
    status.dataset.state = state;
  }

  // Draws a section again only when its data changed, so open details stay open.
  function draw(id, data, render) {
    const json = JSON.stringify(data);
    if (rendered[id] === json) return;
    rendered[id] = json;
    $(id).replaceChildren(render(data));
  }

  // -- sections -------------------------------------------------------------------------

  function progress(task) {
    if (task.status === "FAILED") return h("span", { class: "cause" }, typeof task.errors === "string" ? task.errors : JSON.stringify(task.errors));
    if (task.status !== "IN_PROGRESS") return "done";
    if (task.progression === "reads") {
      return `${task.reads_left} more status read${task.reads_left === 1 ? "" : "s"} answer IN_PROGRESS`;
    }
    if (task.progression === "time") {
      return task.time_left > 0 ? `${formatSeconds(task.time_left)} left on the mock clock (due ${formatClock(task.due_at)})`
        : "due: settles on the next API request";
    }
    return "";
  }

  function renderTasks(tasks) {
    if (!tasks.length) return empty("No tasks yet.");
    const rows = [...tasks].reverse().map((task) => h("tr", { "data-task-id": task.id, "data-status": task.status },
      h("td", null, task.name, h("br"), shortId(task.id)),
      h("td", null, task.kind),
      h("td", null, badge(task.status)),
      h("td", { class: "progress" }, progress(task)),
      h("td", { title: formatTime(task.created_at) }, formatClock(task.created_at))));
    return table(["Task", "Kind", "Status", "Progress", "Created (mock clock)"], rows);
  }

  const FAULT_KINDS = ["status", "graphql_error", "delay", "reset", "truncate"];

  function renderFaults(faults) {
    if (!faults.length) return empty("No faults armed.");
    const rows = faults.map((fault) => {
      const kind = FAULT_KINDS.find((name) => fault[name] !== null && fault[name] !== false && fault[name] !== undefined);
      const what = kind === "reset" || kind === "truncate" ? kind : `${kind} ${fault[kind]}`;
      const remove = h("button", { type: "button", class: "remove-fault", "data-fault-id": fault.id,
        title: fault.server_wide ? "Set without an API key: clearing it needs the admin token" : null }, "Delete");
      remove.addEventListener("click", () => act(`Delete fault ${fault.id}`, "DELETE", `/_mock/faults/${encodeURIComponent(fault.id)}`));
      return h("tr", { "data-operation": fault.operation, "data-fault-id": fault.id },
        h("td", null, fault.operation), h("td", null, what), h("td", null, String(fault.times)),
        h("td", null, fault.server_wide ? "server-wide " : null, remove));
    });
    return table(["Operation", "Fault", "Times left", ""], rows);
  }

  function renderTransitions(transitions) {
    const kinds = Object.keys(transitions).sort();
    if (!kinds.length) return empty("None: every task completes when first read.");
    const rows = kinds.map((kind) => {
      const t = transitions[kind];
      const how = t.progression === "reads" ? `IN_PROGRESS for ${t.times} read${t.times === 1 ? "" : "s"}`
        : t.progression === "time" ? `done after ${formatSeconds(t.duration)} on the mock clock` : "immediate";
      return h("tr", { "data-kind": kind }, h("td", null, kind), h("td", null, how),
        h("td", null, t.outcome, t.error ? `: ${t.error}` : ""));
    });
    return table(["Task kind", "Progression", "Outcome"], rows);
  }

  function json(value) {
    return h("pre", { class: "json" }, JSON.stringify(value, null, 2));
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  // What a view counted but did not list (its lists are a page: see http/views.py).
  const leftOut = (n, what) => (n ? empty(`… and ${n} more ${what}`) : null);

  function renderRun(run) {
    const rows = run.rows.map((entry) => h("tr", { "data-data-row-id": entry.data_row_id },
      h("td", null, entry.global_key || entry.data_row_id),
      h("td", null, entry.split || "–"),
      h("td", null, String(entry.labels)),
      h("td", null, String(entry.predictions))));
    return h("article", { class: "run", "data-run-id": run.id },
      h("h4", null, run.name, " ", shortId(run.id), " ", run.status ? badge(run.status) : null),
      h("p", null, `${run.row_count} data rows: `,
        run.splits.map(({ split, rows: n }) => `${n} ${split || "unassigned"}`).join(", ") || "none"),
      h("details", null, h("summary", null, "Config"), json(run.training_metadata || {})),
      run.error_message ? h("p", { class: "cause" }, run.error_message) : null,
      rows.length ? table(["Data row", "Split", "Labels", "Predictions"], rows) : null,
      leftOut(run.rows_left_out, "rows"));
  }

  function renderModels(view) {
    const cards = view.models.map((model) => h("article", { class: "model", "data-model-id": model.id },
      h("h3", null, model.name, " ", shortId(model.id)),
      h("p", null, `ontology ${model.ontology_name ?? model.ontology_id}, ${plural(model.run_count, "model run", "model runs")}`),
      model.runs.map(renderRun), leftOut(model.runs_left_out, "model runs")));
    return cards.length ? h("div", null, cards, leftOut(view.models_left_out, "models")) : empty("No models.");
  }

  // A project's batches with their size and priority, how many of its rows sit in each workflow step, its
  // ontology, labels and resource tags.
  function renderProjects(view) {
    const cards = view.projects.map((project) => {
      const steps = project.workflow_steps.map((step) => `${step.name}: ${step.data_rows}`).join(", ");
      const rows = project.batches.map((batch) => h("tr", { "data-batch-id": batch.id },
        h("td", null, batch.name, " ", shortId(batch.id)),
        h("td", null, String(batch.data_rows)),
        h("td", null, String(batch.priority)),
        h("td", null, formatTime(batch.created_at))));
      return h("article", { class: "project", "data-project-id": project.id },
        h("h3", null, project.name, " ", shortId(project.id)),
        h("p", null, `${plural(project.batch_count, "batch", "batches")}; ${steps || "no workflow steps"}`),
        h("p", { class: "project-facts" }, `${project.media_type}, ontology ${project.ontology_name ?? "none"}, `,
          plural(project.label_count, "label", "labels")),
        project.tags.length ? h("p", { class: "tags" }, "Tags: ", project.tags.map((tag) =>
          h("span", { class: "tag", "data-tag-id": tag.id, title: `#${tag.color}` }, tag.text)),
        project.tags_left_out ? ` and ${project.tags_left_out} more` : null) : null,
        rows.length ? table(["Batch", "Data rows", "Priority", "Created"], rows) : null,
        leftOut(project.batches_left_out, "batches"));
    });
    return cards.length ? h("div", null, cards, leftOut(view.projects_left_out, "projects")) : empty("No projects.");
  }

  // Text the view cut to its first characters says how long it was.
  function clipped(text, chars) {
    return chars > text.length ? [text, h("span", { class: "clipped" }, `… (${chars} characters)`)] : text;
  }

  const orNone = (value) => (value === null || value === undefined || value === "" ? "–" : value);

  function metadataValue(value) {
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  // Each dataset's first rows (the view lists a page and counts the rest): ids, keys, media type, the row
  // data as text, attachments and metadata fields.
  function renderDatasets(datasets) {
    if (!datasets.length) return empty("No datasets.");
    return h("div", null, datasets.map((dataset) => {
      const rows = dataset.rows.map((row) => h("tr", { "data-data-row-id": row.id },
        h("td", null, shortId(row.id)),
        h("td", { class: "global-key" }, orNone(row.global_key)),
        h("td", { class: "external-id" }, orNone(row.external_id)),
        h("td", null, orNone(row.media_type)),
        h("td", { class: "row-data" }, clipped(row.row_data, row.row_data_chars)),
        h("td", { class: "attachments" }, row.attachments.length ? h("ul", null, row.attachments.map((item) =>
          h("li", { "data-attachment-type": item.type }, h("span", { class: "kind" }, item.type), " ",
            item.name ? h("span", { class: "name" }, item.name) : null, item.name ? ": " : null,
            h("span", { class: "value" }, clipped(item.value, item.value_chars))))) : "–"),
        h("td", { class: "metadata" }, row.metadata.length ? h("ul", null, row.metadata.map((field) =>
          h("li", { "data-schema-id": field.schema_id }, h("span", { class: "name" }, orNone(field.name ?? field.schema_id)),
            ": ", h("span", { class: "value" }, metadataValue(field.value))))) : "–")));
      const count = dataset.row_count;
      return h("article", { class: "dataset", "data-dataset-id": dataset.id },
        h("h3", null, dataset.name, " ", shortId(dataset.id)),
        h("p", null, `${count} data row${count === 1 ? "" : "s"}`,
          dataset.rows_left_out ? `, the first ${dataset.rows.length} shown` : ""),
        rows.length ? table(["Data row", "Global key", "External id", "Media type", "Row data", "Attachments", "Metadata"],
          rows) : null,
        dataset.rows_left_out ? empty(`… and ${dataset.rows_left_out} more rows`) : null);
    }));
  }

  function featureKind(feature) {
    return feature.tool ? `${feature.tool} tool` : `${feature.type} classification`;
  }

  // Each organisation's ontologies, then the root feature schemas none of them places.
  function renderOntologies({ organizations, view }) {
    const cards = [];
    for (const org of organizations) {
      for (const ontology of view.ontologies.filter((item) => item.organization_id === org.id)) {
        const rows = ontology.features.map((node) => h("tr", { "data-feature-schema-id": node.feature_schema_id },
          h("td", null, node.name), h("td", null, featureKind(node)), h("td", null, shortId(node.feature_schema_id)),
          h("td", null, node.archived ? badge("ARCHIVED") : "–")));
        cards.push(h("article", { class: "ontology", "data-ontology-id": ontology.id },
          h("h3", null, ontology.name, " ", shortId(ontology.id)),
          h("p", null, [ontology.media_type || "no media type", ontology.editor_task_type].filter(Boolean).join(", ")),
          rows.length ? table(["Feature", "Kind", "Feature schema", "Archived"], rows) : empty("No features."),
          leftOut(ontology.features_left_out, "features")));
      }
      const unused = view.unplaced_feature_schemas.find((item) => item.organization_id === org.id);
      if (unused) {
        cards.push(h("article", { class: "ontology", "data-unused": "true" },
          h("h3", null, "Feature schemas no ontology places"),
          table(["Feature", "Kind", "Feature schema"], unused.feature_schemas.map((schema) =>
            h("tr", { "data-feature-schema-id": schema.id },
              h("td", null, schema.name), h("td", null, featureKind(schema)), h("td", null, shortId(schema.id))))),
          leftOut(unused.left_out, "feature schemas")));
      }
    }
    if (cards.length) cards.push(leftOut(view.ontologies_left_out, "ontologies"));
    return cards.length ? h("div", null, cards) : empty("No ontologies or feature schemas.");
  }

  function cause(row) {
    return (row.errors || []).map((error) => error.message || JSON.stringify(error)).join("; ");
  }

  // What an import brings where: its kind is the view's (AnnotationImport.kind), its type the API's name.
  function importTarget(record) {
    const project = `project ${record.project_name ?? record.project_id}`;
    const run = `model run ${record.model_run_name ?? record.model_run_id}`;
    if (record.kind === "mea") return `predictions into ${run}`;
    if (record.kind === "mal") return `predictions of ${run} into ${project} as pre-labels`;
    if (record.kind === "label") return `ground-truth labels into ${project}`;
    return `pre-labels into ${project}`;
  }

  function renderImports(imports) {
    if (!imports.length) return empty("No imports.");
    return h("div", null, [...imports].reverse().map((record) => {
      const rows = record.rows.map((row) => h("tr", { "data-uuid": row.uuid, "data-status": row.status,
        class: row.status === "SUCCESS" ? null : "failure" },
      h("td", null, h("code", null, row.uuid)),
      h("td", null, (row.dataRow && (row.dataRow.globalKey || row.dataRow.id)) || "–"),
      h("td", null, badge(row.status)),
      h("td", { class: "cause" }, cause(row))));
      const counts = record.counts;
      return h("article", { class: "import", "data-import-name": record.name, "data-import-type": record.type },
        h("h3", null, record.name, " ", h("span", { class: "import-type" }, record.type), " ", badge(record.state)),
        h("p", null, `${importTarget(record)}: `,
          `${counts.rows} rows, ${counts.SUCCESS} SUCCESS, ${counts.FAILURE} FAILURE`),
        record.errors ? h("p", { class: "cause" }, String(record.errors)) : null,
        rows.length ? table([record.kind === "label" ? "Annotation" : "Prediction", "Data row", "Status", "Cause"], rows) : null,
        record.rows_left_out ? empty(`… and ${record.rows_left_out} more rows`) : null);
    }));
  }

  function renderExports(tasks) {
    const exports = tasks.filter((task) => task.kind === "export");
    if (!exports.length) return empty("No exports.");
    const size = (streams, name) => {
      const stream = streams && streams[name];
      if (!stream) return "–";
      return `${stream.lines} lines, ${formatBytes(stream.bytes)}${stream.complete ? "" : " so far"}`;
    };
    const rows = [...exports].reverse().map((task) => h("tr", { "data-task-id": task.id, "data-status": task.status },
      h("td", null, task.name), h("td", null, badge(task.status)),
      h("td", null, size(task.streams, "RESULT")), h("td", null, size(task.streams, "ERRORS"))));
    return table(["Export", "Status", "Result", "Errors"], rows);
  }

  function statusClass(status) {
    return status >= 200 && status < 300 ? "ok" : status === 0 ? "dropped" : "failed";
  }

  function setOptions(select, values) {
    const chosen = select.value;
    const wanted = ["", ...values];
    const present = [...select.options].map((option) => option.value);
    if (JSON.stringify(present) === JSON.stringify(wanted)) return;
    select.replaceChildren(...wanted.map((value) => h("option", { value }, value || "all")));
    select.value = wanted.includes(chosen) ? chosen : "";
  }

  function renderJournal(entries) {
    const operationOf = (entry) => entry.operation || `${entry.method} ${entry.path}`;
    setOptions($("filter-operation"), [...new Set(entries.map(operationOf))].sort());
    setOptions($("filter-status"), [...new Set(entries.map((entry) => String(entry.status)))].sort());
    const operation = $("filter-operation").value;
    const status = $("filter-status").value;
    const numbered = entries.map((entry, index) => [journalDropped + index + 1, entry]);
    const kept = numbered.filter(([, entry]) => (!operation || operationOf(entry) === operation)
      && (!status || String(entry.status) === status));
    $("journal-count").textContent = `${kept.length} of ${entries.length} requests`;
    if (!kept.length) return empty(entries.length ? "No request matches the filter." : "No requests yet.");
    const rows = kept.slice(-JOURNAL_SHOWN).reverse().map(([number, entry]) => {
      const variables = redact(entry.variables);
      const preview = JSON.stringify(variables) || "";
      return h("tr", { "data-operation": operationOf(entry), "data-status": String(entry.status) },
        h("td", null, String(number)),
        h("td", { title: formatTime(entry.at) }, formatClock(entry.at)),
        h("td", null, operationOf(entry)),
        h("td", null, h("span", { class: `badge ${statusClass(entry.status)}` }, String(entry.status))),
        h("td", { class: "number" }, typeof entry.duration_ms === "number" ? `${entry.duration_ms.toFixed(1)} ms` : "–"),
        h("td", { class: "variables" }, preview.length > 2 ? h("details", null,
          h("summary", null, preview.length > 90 ? `${preview.slice(0, 90)}…` : preview), json(variables)) : "–"));
    });
    return table(["#", "At (mock clock)", "Operation", "Status", "Duration", "Variables"], rows);
  }

  // -- refresh and actions ---------------------------------------------------------------

  // Fetches only the entries newer than the cursor and appends them; a cleared journal (a reset
  // of the organisation) or a restarted mock answers `reset`, and the page starts over.
  async function fetchJournal() {
    const generation = journalGeneration;
    for (;;) {
      const page = await api("GET", `/_mock/requests?after=${journalCursor}&limit=${JOURNAL_PAGE}`);
      if (generation !== journalGeneration) return;
      if (page.reset) {
        journal = [];
        journalDropped = 0;
        journalVersion += 1;
      }
      if (page.entries.length) {
        journal.push(...page.entries);
        const over = journal.length - JOURNAL_KEPT;
        if (over > 0) {
          journal.splice(0, over);
          journalDropped += over;
        }
        journalVersion += 1;
      }
      journalCursor = page.last_seq;
      if (!page.more) return;
    }
  }

  function forgetJournal() {
    journal = [];
    journalCursor = 0;
    journalDropped = 0;
    journalVersion += 1;
    journalGeneration += 1;
  }

  async function refresh() {
    if (!apiKey || inFlight) return;
    inFlight = true;
    try {
      const [organizations, models, projects, ontologies, , tasks, imports, datasets, faults, transitions, clock] =
        await Promise.all([
          api("GET", "/_mock/organization"), api("GET", "/_mock/models"), api("GET", "/_mock/projects"),
          api("GET", "/_mock/ontologies"), fetchJournal(), api("GET", "/_mock/tasks"),
          api("GET", "/_mock/imports"), api("GET", "/_mock/datasets"), api("GET", "/_mock/faults"),
          api("GET", "/_mock/transitions"), api("GET", "/_mock/clock"),
        ]);
      $("dashboard").hidden = false;
      $("clock").textContent = formatTime(clock.now);
      $("org-name").textContent = organizations.map((org) => org.name).join(", ") || "–";
      draw("tasks", tasks, renderTasks);
      draw("faults", faults, renderFaults);
      draw("transitions", transitions, renderTransitions);
      draw("models", models, renderModels);
      draw("projects", projects, renderProjects);
      draw("datasets", datasets, renderDatasets);
      draw("ontologies", { organizations, view: ontologies }, renderOntologies);
      draw("imports", imports, renderImports);
      draw("exports", tasks, renderExports);
      drawJournal();
      setStatus(`Live: refreshed ${new Date().toLocaleTimeString()}`, "ok");
    } catch (error) {
      if (error.status === 401) hide(); // a key that is not valid shows nothing, not a stale page
      setStatus(error.message, "error");
    } finally {
      inFlight = false;
    }
  }

  // The journal is redrawn when its entries or the filter changed, not compared as JSON each second.
  function drawJournal() {
    const key = `${journalVersion} ${$("filter-operation").value} ${$("filter-status").value}`;
    if (rendered.journal === key) return;
    rendered.journal = key;
    $("journal").replaceChildren(renderJournal(journal));
  }

  function hide() {
    $("dashboard").hidden = true;
    rendered = {};
    forgetJournal();
    const sections = ["tasks", "faults", "transitions", "models", "projects", "datasets", "ontologies", "imports",
      "exports", "journal"];
    for (const id of sections) $(id).replaceChildren();
  }

  async function act(label, method, path, body) {
    try {
      await api(method, path, body);
      rendered = {};
      await refresh();
      setStatus(`${label}: done`, "ok");
    } catch (error) {
      setStatus(`${label} failed: ${error.message}`, "error");
    }
  }

  function useKey(key) {
    apiKey = key;
    if (key) sessionStorage.setItem(KEY_STORE, key);
    else sessionStorage.removeItem(KEY_STORE);
    hide();
    if (key) {
      setStatus("Loading…", "ok");
      refresh();
    } else {
      setStatus("Enter an API key: the page shows that key's organisation.", "ok");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("key-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const key = $("api-key").value.trim();
      $("api-key").value = "";
      useKey(key);
    });
    $("forget-key").addEventListener("click", () => useKey(""));
    $("clear-faults").addEventListener("click", () => act("Clear faults", "DELETE", "/_mock/faults"));
    $("clear-transitions").addEventListener("click", () => act("Clear transitions", "DELETE", "/_mock/transitions"));
    $("advance-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const seconds = Number($("advance-seconds").value);
      if (!Number.isFinite(seconds) || seconds < 0) {
        setStatus("Advance the clock by a non-negative number of seconds", "error");
        return;
      }
      act(`Advance clock by ${seconds} s`, "POST", "/_mock/clock", { advance: seconds });
    });
    $("reset-org").addEventListener("click", () => {
      if (window.confirm("Reset the organisation? Its state, faults, transitions and journal are emptied.")) {
        act("Reset", "POST", "/_mock/reset");
      }
    });
    for (const id of ["filter-operation", "filter-status"]) {
      $(id).addEventListener("change", drawJournal);
    }
    window.setInterval(() => {
      if (!$("pause").checked) refresh();
    }, POLL_MS);
    useKey(apiKey);
  });
})();
