// The pa serve dashboard. Everything taken from the API goes into the page as text (textContent) or, for links, as an
// href whose scheme was checked first: run data can never become markup or script here.
"use strict";

const LIST_URL = "/runtime/webhooks/durabletask/instances?top=50";
const STATUS_URL = "/runtime/webhooks/durabletask/instances/";
const SUMMARY_URL = "/api/pipelines/runs/";
const RUN_PAGE_URL = "/runs/";
const REFRESH_MS = 2000;
const STEPS = ["data_preparation", "graph_preparation", "embeddings", "recommendations"];

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function link(href, text) {
  const a = el("a", text);
  a.setAttribute("href", href);
  return a;
}

// Only file:// URIs become links (the brief's "outputs when file URIs"); anything else stays plain text.
function fileLink(uri, text) {
  try {
    if (new URL(uri).protocol === "file:") {
      const a = link(uri, text);
      a.title = uri;
      return a;
    }
  } catch (_) { /* not a URL: shown as text */ }
  return el("span", text);
}

function seconds(from, to) {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : null;
}

function formatDuration(s) {
  if (s === null) return "";
  if (s < 60) return s.toFixed(1) + " s";
  const minutes = Math.floor(s / 60);
  return minutes + " min " + Math.round(s - minutes * 60) + " s";
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function eventOf(run) {
  if (isObject(run.customStatus) && run.customStatus.event) return run.customStatus.event;
  if (isObject(run.input) && isObject(run.input.request)) return run.input.request.event;
  return "";
}

function instanceCell(run) {
  const td = el("td");
  td.appendChild(link(STATUS_URL + encodeURIComponent(run.instanceId), run.instanceId));
  td.appendChild(el("br"));
  td.appendChild(link(RUN_PAGE_URL + encodeURIComponent(run.instanceId), "charts"));
  if (isObject(run.output)) {
    td.appendChild(el("span", " · "));
    td.appendChild(link(SUMMARY_URL + encodeURIComponent(run.instanceId), "summary"));
  }
  return td;
}

function statusCell(run) {
  const td = el("td");
  td.appendChild(el("span", run.runtimeStatus, "status status-" + run.runtimeStatus));
  const progress = isObject(run.customStatus) ? run.customStatus : null;
  if (progress && Number.isFinite(progress.stepsDone) && Number.isFinite(progress.stepsTotal)) {
    const current = progress.currentStep && isObject(progress.steps) ? progress.steps[progress.currentStep] : null;
    const parts = current && runtimeStatusIsLive(run) ? partsText(current.parts) : "";
    td.appendChild(el("div", progress.stepsDone + "/" + progress.stepsTotal + " steps" +
      (progress.currentStep ? ", now " + progress.currentStep + (parts ? " (" + parts + ")" : "") : ""), "detail"));
  }
  // A failed run's output is its error (as in Durable); its custom status carries the same error, cut to fit.
  const error = typeof run.output === "string" ? run.output : progress && progress.error ? progress.error : null;
  if (error) td.appendChild(el("div", error, "problem"));
  return td;
}

function runtimeStatusIsLive(run) {
  return run.runtimeStatus === "Pending" || run.runtimeStatus === "Running";
}

function partsText(parts) {
  if (!isObject(parts) || !Number.isFinite(parts.done) || !Number.isFinite(parts.total) || parts.total <= 0) return "";
  return parts.done + " of " + parts.total + " " + String(parts.unit || "parts");
}

function stepsCell(run) {
  const td = el("td");
  const progress = isObject(run.customStatus) && isObject(run.customStatus.steps) ? run.customStatus.steps : {};
  const outcomes = {};
  if (isObject(run.output) && Array.isArray(run.output.steps)) {
    for (const outcome of run.output.steps) if (isObject(outcome)) outcomes[outcome.step] = outcome;
  }
  const list = el("ul");
  for (const step of STEPS) {
    const state = isObject(progress[step]) ? progress[step] : null;
    const outcome = outcomes[step];
    const status = outcome ? outcome.status : state ? state.status : "pending";
    const attempts = outcome ? outcome.attempts : state ? state.attempts : 0;
    let text = step + ": " + status;
    if (attempts > 1) text += " (attempt " + attempts + ")";
    // A fanned-out step: its parts done so far ("12 of 20 shards"), kept once the step has finished.
    const parts = state ? partsText(state.parts) : "";
    if (parts) text += ", " + parts;
    if (outcome) text += ", " + formatDuration(seconds(outcome.startedAt, outcome.finishedAt));
    if (outcome && outcome.reusedFromRunId) text += ", from " + outcome.reusedFromRunId;
    const item = el("li", text, "step-" + String(status));
    const counts = state && isObject(state.counts) ? state.counts : outcome && isObject(outcome.metrics) ? outcome.metrics : null;
    if (counts) item.title = Object.entries(counts).map(([k, v]) => k + ": " + v).join("\n");
    if (outcome && outcome.error) item.appendChild(el("div", outcome.error, "problem"));
    list.appendChild(item);
  }
  td.appendChild(list);
  return td;
}

function durationCell(run) {
  let s;
  if (isObject(run.output) && run.output.startedAt && run.output.finishedAt) s = seconds(run.output.startedAt, run.output.finishedAt);
  else if (run.runtimeStatus === "Pending" || run.runtimeStatus === "Running") s = seconds(run.createdTime, new Date().toISOString());
  else s = seconds(run.createdTime, run.lastUpdatedTime);
  return el("td", formatDuration(s));
}

function outputsCell(run) {
  const td = el("td");
  // A failed run's whole summary is an artifact; its custom status says where.
  if (isObject(run.customStatus) && run.customStatus.summaryUri) td.appendChild(fileLink(run.customStatus.summaryUri, "run summary"));
  if (!isObject(run.output) || !Array.isArray(run.output.steps)) return td;
  const list = el("ul");
  for (const outcome of run.output.steps) {
    if (!isObject(outcome) || !outcome.manifestUri) continue;
    const item = el("li");
    item.appendChild(fileLink(outcome.manifestUri, outcome.step + " manifest"));
    if (outcome.step === "recommendations" && Array.isArray(outcome.outputs)) {
      for (const output of outcome.outputs) {
        if (!isObject(output) || !output.uri || output.name === "metadata.json") continue;
        item.appendChild(el("br"));
        item.appendChild(fileLink(output.uri, output.name));
      }
    }
    list.appendChild(item);
  }
  td.appendChild(list);
  return td;
}

function retrainingCell(run) {
  const td = el("td");
  const retraining = isObject(run.output) ? run.output.retraining : null;
  if (!isObject(retraining)) {
    const requested = isObject(run.input) && isObject(run.input.request) && run.input.request.retrain;
    td.textContent = requested ? "requested" : "";
    return td;
  }
  td.appendChild(el("strong", retraining.promoted ? "promoted" : "not promoted"));
  if (retraining.candidate) td.appendChild(el("div", "model " + retraining.candidate, "detail"));
  if (retraining.reason) td.appendChild(el("div", retraining.reason, "detail"));
  return td;
}

function row(run) {
  const tr = el("tr");
  tr.dataset.instanceId = run.instanceId;
  tr.dataset.runtimeStatus = run.runtimeStatus;
  tr.appendChild(instanceCell(run));
  tr.appendChild(el("td", eventOf(run)));
  tr.appendChild(statusCell(run));
  tr.appendChild(stepsCell(run));
  tr.appendChild(el("td", String(run.createdTime || "").replace("T", " ").replace(/\.\d+Z$/, "Z")));
  tr.appendChild(durationCell(run));
  tr.appendChild(outputsCell(run));
  tr.appendChild(retrainingCell(run));
  return tr;
}

async function refresh() {
  const error = document.getElementById("error");
  try {
    const response = await fetch(LIST_URL, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error("the instance list answered HTTP " + response.status);
    const runs = await response.json();
    if (!Array.isArray(runs)) throw new Error("the instance list is not a JSON array");
    document.getElementById("rows").replaceChildren(...runs.filter(isObject).map(row));
    document.getElementById("empty").hidden = runs.length > 0;
    document.getElementById("updated").textContent = "Updated " + new Date().toLocaleTimeString() + ".";
    error.hidden = true;
  } catch (e) {
    error.textContent = "Could not refresh: " + (e && e.message ? e.message : String(e));
    error.hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
