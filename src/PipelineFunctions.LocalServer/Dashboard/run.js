// A run's page: draws the figures GET /api/pipelines/runs/{id}/charts computed from the run's history and artifacts
// with Chart.js (served by pa serve itself). Run data reaches the page only as text and as chart data, never as markup.
// Each canvas gets data-rendered ("true", or "empty" when there is nothing to draw), data-datasets and data-points once
// its chart is drawn, and the body data-charts="ready" when all are: what the headless browser test reads.
"use strict";

const CHARTS_URL = "/api/pipelines/runs/";
const LIVE_REFRESH_MS = 3000;
const STEP_COLOURS = {
  plan: "#64748b",
  data_preparation: "#0ea5e9",
  graph_preparation: "#8b5cf6",
  embeddings: "#f59e0b",
  recommendations: "#10b981",
  retraining: "#ec4899",
  summary: "#94a3b8",
  end: "#94a3b8",
};
const FAILED = "#dc2626";
const charts = {};

function runId() {
  const parts = window.location.pathname.split("/").filter(Boolean);
  return decodeURIComponent(parts[parts.length - 1] || "");
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function list(value) {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function humanize(name) {
  return String(name).replace(/_/g, " ");
}

function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
}

// Draws one chart (replacing the previous one) and records on its canvas what was drawn.
function draw(id, config, points) {
  const canvas = document.getElementById(id);
  const box = canvas.parentElement;
  if (charts[id]) charts[id].destroy();
  delete charts[id];
  const old = box.querySelector(".empty");
  if (old) old.remove();
  if (points === 0) {
    canvas.dataset.rendered = "empty";
    canvas.dataset.datasets = "0";
    canvas.dataset.points = "0";
    const empty = document.createElement("div");
    empty.className = "empty";
    empty.textContent = "Nothing to show for this run.";
    box.appendChild(empty);
    return;
  }
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
  const chart = new Chart(canvas, config);
  charts[id] = chart;
  canvas.dataset.rendered = "true";
  canvas.dataset.datasets = String(chart.data.datasets.length);
  canvas.dataset.points = String(chart.data.datasets.reduce(
    (sum, dataset) => sum + dataset.data.filter(value => value !== null && value !== undefined).length, 0));
}

function timeline(bars) {
  // One row per activity; the box grows with the rows so labels never overlap.
  document.getElementById("box-timeline").style.height = Math.max(220, 60 + bars.length * 18) + "px";
  const steps = [...new Set(bars.map(bar => String(bar.step)))];
  const datasets = steps.map(step => {
    const colour = STEP_COLOURS[step] || "#475569";
    return {
      label: humanize(step),
      data: bars.map(bar => (bar.step === step ? [bar.startSeconds, Math.max(bar.endSeconds, bar.startSeconds + 0.02)] : null)),
      backgroundColor: bars.map(bar => (bar.status === "failed" ? FAILED : bar.status === "reused" ? withAlpha(colour, 0.35) : colour)),
      borderColor: bars.map(bar => (bar.status === "failed" ? FAILED : colour)),
      borderWidth: 1,
      grouped: false,
      barPercentage: 0.9,
      categoryPercentage: 1,
    };
  });
  draw("chart-timeline", {
    type: "bar",
    data: { labels: bars.map(bar => String(bar.label)), datasets },
    options: {
      indexAxis: "y",
      skipNull: true,
      scales: {
        x: { min: 0, title: { display: true, text: "seconds since the run started" } },
        y: { ticks: { autoSkip: false, font: { size: 11 } } },
      },
      plugins: {
        legend: { position: "top" },
        tooltip: {
          callbacks: {
            label: item => {
              const bar = bars[item.dataIndex];
              return bar.status + ": " + bar.startSeconds.toFixed(1) + " s to " + bar.endSeconds.toFixed(1) + " s (" +
                (bar.endSeconds - bar.startSeconds).toFixed(2) + " s)";
            },
          },
        },
      },
    },
  }, bars.length);
}

function strategies(counts) {
  draw("chart-strategies", {
    type: "bar",
    data: {
      labels: counts.map(c => humanize(c.strategy)),
      datasets: [
        { label: "with an agenda", data: counts.map(c => c.withAgenda), backgroundColor: "#10b981" },
        { label: "without an agenda", data: counts.map(c => c.withoutAgenda), backgroundColor: "#f87171" },
      ],
    },
    options: {
      indexAxis: "y",
      scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: "visitors" } }, y: { stacked: true } },
    },
  }, counts.length);
}

function agendaLengths(counts) {
  draw("chart-lengths", {
    type: "bar",
    data: {
      labels: counts.map(c => String(c.sessions)),
      datasets: [{
        label: "visitors",
        data: counts.map(c => c.visitors),
        backgroundColor: counts.map(c => (c.sessions === 0 ? "#cbd5e1" : "#0b5cad")),
      }],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        x: { title: { display: true, text: "sessions in the agenda" } },
        y: { beginAtZero: true, title: { display: true, text: "visitors" } },
      },
    },
  }, counts.length);
}

const THEATRE_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac",
  "#1f77b4", "#8c564b", "#17becf"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function slotName(fill) {
  const day = new Date(String(fill.date) + "T00:00:00Z");
  const weekday = Number.isNaN(day.getTime()) ? String(fill.date) : DAYS[day.getUTCDay()] + " " + String(fill.date).slice(8, 10);
  return weekday + " " + String(fill.start).slice(0, 5);
}

// Each limited slot's assignments as a share of its limit (100 %: full), coloured by theatre, with the pairs refused
// for lack of room stacked above: demand beyond the limit. Unlimited slots have no share to draw.
function slots(fills) {
  const limited = fills.filter(f => Number.isFinite(f.limit));
  const unlimited = fills.length - limited.length;
  document.getElementById("slots-unlimited").textContent = unlimited > 0
    ? unlimited + " slot(s) in theatres without a capacity are unlimited and not shown." : "";
  const percent = (count, f) => (f.limit > 0 ? (100 * count) / f.limit : count > 0 ? 100 : 0);
  const theatres = [...new Set(limited.map(f => String(f.theatre)))];
  const datasets = theatres.map((theatre, i) => ({
    label: theatre,
    data: limited.map(f => (f.theatre === theatre ? percent(f.assignments, f) : null)),
    backgroundColor: THEATRE_COLOURS[i % THEATRE_COLOURS.length],
    stack: "slot",
  }));
  // Refusals are counts of visitor-session pairs, not seats: on their own axis, so a busy slot cannot flatten the rest.
  datasets.push({
    type: "line",
    label: "pairs refused (slot full)",
    data: limited.map(f => (f.capacityRefusals > 0 ? f.capacityRefusals : null)),
    showLine: false,
    pointStyle: "triangle",
    pointRadius: 6,
    pointHoverRadius: 8,
    backgroundColor: "#dc2626",
    borderColor: "#ffffff",
    borderWidth: 1,
    yAxisID: "refused",
    stack: "refused",
    order: -2, // lowest order is drawn last: on top of the bars
  });
  datasets.push({
    type: "line",
    label: "limit (100 %)",
    data: limited.map(() => 100),
    borderColor: "#111827",
    borderDash: [6, 4],
    borderWidth: 1.5,
    pointRadius: 0,
    stack: "limit",
    order: -1,
  });
  draw("chart-slots", {
    type: "bar",
    data: { labels: limited.map(slotName), datasets },
    options: {
      scales: {
        x: { stacked: true, ticks: { autoSkip: false, maxRotation: 90, minRotation: 90, font: { size: 10 } } },
        y: { stacked: true, beginAtZero: true, suggestedMax: 110, title: { display: true, text: "% of the slot's limit" } },
        refused: {
          position: "right",
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: "pairs refused", color: "#dc2626" },
          ticks: { color: "#dc2626" },
        },
      },
      plugins: {
        legend: { labels: { boxWidth: 12, font: { size: 11 } } },
        tooltip: {
          callbacks: {
            title: items => (items.length ? limited[items[0].dataIndex].theatre + " · " + slotName(limited[items[0].dataIndex]) : ""),
            label: item => {
              const f = limited[item.dataIndex];
              if (item.dataset.stack === "limit") return "limit " + f.limit;
              if (item.dataset.yAxisID === "refused") return "pairs refused " + f.capacityRefusals;
              return "assigned " + f.assignments + " of " + f.limit + " (" + Math.round(percent(f.assignments, f)) + " %)";
            },
          },
        },
      },
    },
  }, limited.length);
}

function models(versions) {
  const labels = versions.map(v => {
    const tags = [];
    if (v.usedByRun) tags.push("used by this run");
    if (v.current) tags.push("current");
    if (v.promoted === false) tags.push("not promoted");
    return tags.length ? [String(v.version), "(" + tags.join(", ") + ")"] : String(v.version);
  });
  draw("chart-models", {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: "NDCG@10", data: versions.map(v => v.ndcgAt10), backgroundColor: "#0b5cad" },
        { label: "reference heuristic NDCG@10", data: versions.map(v => v.heuristicNdcgAt10), backgroundColor: "#94a3b8" },
        { label: "Recall@10", data: versions.map(v => v.recallAt10), backgroundColor: "#10b981" },
        { label: "coverage", data: versions.map(v => v.coverage), backgroundColor: "#f59e0b" },
      ],
    },
    options: {
      datasets: { bar: { maxBarThickness: 56 } },
      scales: { y: { beginAtZero: true, title: { display: true, text: "holdout score" } } },
    },
  }, versions.length);
}

// The post-show analysis (GET .../analysis, 404 while the run has none): per metric of the chosen segment, the two groups'
// values, and the difference as a point inside a floating bar from the interval's low to its high end.
let analysisReport = null;

function analysisChart(segment) {
  const rows = list(analysisReport && analysisReport.metrics).filter(m => m.segment === segment);
  const labels = rows.map(m => humanize(m.metric));
  const first = rows[0] || {};
  document.getElementById("analysis-meta").textContent = rows.length
    ? first.treatmentVisitors + " treated, " + first.controlVisitors + " control visitors"
    : "";
  draw("chart-analysis-groups", {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: "treatment", data: rows.map(m => m.treatment), backgroundColor: "#0b5cad" },
        { label: "control", data: rows.map(m => m.control), backgroundColor: "#94a3b8" },
      ],
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: "value (share or per visitor)" } } } },
  }, rows.length);
  draw("chart-analysis-uplift", {
    type: "bar",
    data: {
      labels,
      datasets: [
        {
          label: "95 % interval",
          data: rows.map(m => (m.ciLow === null || m.ciHigh === null ? null : [m.ciLow, m.ciHigh])),
          backgroundColor: rows.map(m => withAlpha(m.pValue !== null && m.pValue < 0.05 ? "#10b981" : "#64748b", 0.45)),
        },
        {
          type: "line",
          label: "difference (treatment − control)",
          data: rows.map(m => m.difference),
          showLine: false,
          pointRadius: 5,
          backgroundColor: "#0f172a",
        },
      ],
    },
    options: {
      plugins: {
        tooltip: {
          callbacks: {
            afterBody: items => {
              const m = rows[items[0].dataIndex];
              return m && m.pValue !== null ? "p = " + Number(m.pValue).toPrecision(3) + " (" + m.test + ")" : "";
            },
          },
        },
      },
      // Zero always in view and drawn darker: an interval crossing it is no significant difference.
      scales: {
        y: {
          beginAtZero: true,
          title: { display: true, text: "treatment − control" },
          grid: { color: context => (context.tick && context.tick.value === 0 ? "#0f172a" : "rgba(0,0,0,0.1)") },
        },
      },
    },
  }, rows.length);
}

async function loadAnalysis(id) {
  const section = document.getElementById("analysis");
  const response = await fetch(CHARTS_URL + encodeURIComponent(id) + "/analysis", { headers: { Accept: "application/json" }, cache: "no-store" });
  if (response.status === 404) {
    section.hidden = true;
    return;
  }
  if (!response.ok) throw new Error("the analysis of " + id + " answered HTTP " + response.status);
  const report = await response.json();
  if (!isObject(report)) throw new Error("the analysis answer is not a JSON object");
  analysisReport = report;
  section.hidden = false;
  const select = document.getElementById("analysis-segment");
  const segments = [...new Set(list(report.metrics).map(m => String(m.segment)))];
  const chosen = segments.includes(select.value) ? select.value : segments[0];
  select.replaceChildren(...segments.map(segment => {
    const option = document.createElement("option");
    option.value = segment;
    option.textContent = humanize(segment);
    return option;
  }));
  select.value = chosen || "";
  select.onchange = () => analysisChart(select.value);
  analysisChart(select.value);
}

function header(data) {
  document.getElementById("run-id").textContent = data.runId;
  const parts = [data.event, data.runtimeStatus];
  if (data.ranker) parts.push("ranked by " + data.ranker);
  document.getElementById("run-meta").textContent = parts.filter(Boolean).join(" · ");
  const notes = document.getElementById("notes");
  notes.replaceChildren(...(Array.isArray(data.notes) ? data.notes : []).map(note => {
    const item = document.createElement("li");
    item.textContent = String(note);
    return item;
  }));
}

async function load() {
  const error = document.getElementById("error");
  let live = false;
  try {
    const id = runId();
    document.title = "pa serve: run " + id;
    const response = await fetch(CHARTS_URL + encodeURIComponent(id) + "/charts", { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error("the charts of " + id + " answered HTTP " + response.status);
    const data = await response.json();
    if (!isObject(data)) throw new Error("the charts answer is not a JSON object");
    header(data);
    timeline(list(data.timeline));
    strategies(list(data.strategies));
    agendaLengths(list(data.agendaLengths));
    slots(list(data.theatreSlots));
    models(list(data.models));
    await loadAnalysis(id);
    document.body.dataset.charts = "ready";
    error.hidden = true;
    live = data.runtimeStatus === "Pending" || data.runtimeStatus === "Running";
  } catch (e) {
    error.textContent = "Could not load the charts: " + (e && e.message ? e.message : String(e));
    error.hidden = false;
    document.body.dataset.charts = "error";
  }
  if (live) setTimeout(load, LIVE_REFRESH_MS);
}

load();
