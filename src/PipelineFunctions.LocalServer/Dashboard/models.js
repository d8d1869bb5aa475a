// The models page: one chart per event of GET /api/models/history, the ranker's holdout NDCG@10 at each retraining.
// Run data reaches the page only as text and as chart data, never as markup. Each canvas gets data-rendered, data-datasets
// and data-points once drawn, and the body data-charts="ready" when all are (what a headless browser test reads).
"use strict";

const HISTORY_URL = "/api/models/history";
const SERIES = [
  { key: "current", label: "current model on the newest data", colour: "#0ea5e9" },
  { key: "registered", label: "current model at its registration", colour: "#94a3b8" },
  { key: "candidate", label: "candidate", colour: "#10b981" },
  { key: "heuristic", label: "reference heuristic", colour: "#f59e0b" },
];

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function score(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function values(retraining) {
  return {
    current: score(retraining.currentNdcgAt10),
    registered: score(retraining.currentRegisteredNdcgAt10),
    candidate: score(retraining.candidateNdcgAt10),
    heuristic: score(retraining.heuristicNdcgAt10),
  };
}

function card(history, index) {
  const retrainings = Array.isArray(history.retrainings) ? history.retrainings.filter(isObject) : [];
  const section = el("section", null, "card wide");
  section.appendChild(el("h2", String(history.event)));
  const current = history.currentVersion ? "current model " + history.currentVersion : "no current model (the reference heuristic)";
  section.appendChild(el("p", retrainings.length + " retraining(s); " + current, "meta"));
  const notes = el("ul", null, "notes");
  for (const retraining of retrainings) {
    if (retraining.degradation) notes.appendChild(el("li", String(retraining.decidedAt).slice(0, 10) + ": " + retraining.degradation));
  }
  section.appendChild(notes);
  const box = el("div", null, "chart-box");
  const canvas = el("canvas");
  canvas.id = "chart-models-" + index;
  canvas.dataset.event = String(history.event);
  canvas.setAttribute("aria-label", "Holdout NDCG@10 per retraining of " + String(history.event));
  box.appendChild(canvas);
  section.appendChild(box);
  return { section, canvas, retrainings };
}

function draw(canvas, retrainings) {
  if (retrainings.length === 0) {
    canvas.dataset.rendered = "empty";
    canvas.dataset.datasets = "0";
    canvas.dataset.points = "0";
    canvas.parentElement.appendChild(el("div", "No retraining recorded for this event.", "empty"));
    return;
  }
  const rows = retrainings.map(values);
  const datasets = SERIES.map(series => ({
    label: series.label,
    data: rows.map(row => row[series.key]),
    borderColor: series.colour,
    backgroundColor: series.colour,
    borderDash: series.key === "registered" ? [6, 4] : [],
    spanGaps: true,
  }));
  const chart = new Chart(canvas, {
    type: "line",
    data: { labels: retrainings.map(r => String(r.decidedAt).replace("T", " ").slice(0, 16)), datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { title: { display: true, text: "NDCG@10 on the holdout" }, suggestedMin: 0 } },
      plugins: { tooltip: { callbacks: { afterBody: items => {
        const r = retrainings[items[0].dataIndex];
        return (r.promoted ? "promoted " : "not promoted ") + r.candidate + (r.degradation ? "\n" + r.degradation : "");
      } } } },
    },
  });
  canvas.dataset.rendered = "true";
  canvas.dataset.datasets = String(chart.data.datasets.length);
  canvas.dataset.points = String(chart.data.datasets.reduce(
    (sum, dataset) => sum + dataset.data.filter(value => value !== null && value !== undefined).length, 0));
}

async function load() {
  const error = document.getElementById("error");
  try {
    const response = await fetch(HISTORY_URL, { headers: { Accept: "application/json" }, cache: "no-store" });
    if (!response.ok) throw new Error("the model history answered HTTP " + response.status);
    const histories = await response.json();
    if (!Array.isArray(histories)) throw new Error("the model history is not a JSON array");
    const main = document.getElementById("events");
    const cards = histories.filter(isObject).map(card);
    main.replaceChildren(...cards.map(c => c.section));
    for (const c of cards) draw(c.canvas, c.retrainings);
    document.getElementById("empty").hidden = cards.some(c => c.retrainings.length > 0);
    error.hidden = true;
  } catch (e) {
    error.textContent = "Could not load the model history: " + (e && e.message ? e.message : String(e));
    error.hidden = false;
  } finally {
    document.body.dataset.charts = "ready";
  }
}

load();
