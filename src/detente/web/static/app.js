// detente dashboard: no framework, no third-party code; every view is a function of the URL.
"use strict";

const $ = (selector) => document.querySelector(selector);
const SVG = "http://www.w3.org/2000/svg";

function state() {
  return new URLSearchParams(window.location.search);
}

function setState(changes, push = true) {
  const params = state();
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "") params.delete(key);
    else params.set(key, value);
  }
  const url = `${window.location.pathname}?${params.toString()}`;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
  render();
}

async function api(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ""));
  const response = await fetch(`/api/${path}?${query.toString()}`);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

// The evidence sentence with its trigger words marked.
function evidence(event) {
  const quote = el("blockquote");
  const sentence = event.sentence || "";
  const at = event.trigger ? sentence.indexOf(event.trigger) : -1;
  if (at < 0) {
    quote.textContent = sentence;
  } else {
    quote.append(sentence.slice(0, at), el("mark", { text: event.trigger }), sentence.slice(at + event.trigger.length));
  }
  return quote;
}

function eventLine(event) {
  const target = event.target ? event.target.code || event.target.text : "—";
  const mode = event.mode ? `/${event.mode}` : "";
  return `${event.date || "?"} · ${event.source.code || event.source.text} → ${target} · ${event.event_type}${mode} · ${event.modality}`;
}

function articleLink(docId, title) {
  const link = el("a", { href: `?article=${encodeURIComponent(docId)}`, class: "article-link", text: title || docId });
  link.addEventListener("click", (clickEvent) => {
    clickEvent.preventDefault();
    setState({ article: docId });
  });
  return link;
}

async function loadActors() {
  const { items, groups } = await api("actors");
  const codes = [...groups, ...items.map((actor) => actor.code).filter((code) => !groups.includes(code))];
  for (const select of [$("#side-a"), $("#side-b")]) {
    select.replaceChildren(...codes.map((code) => el("option", { value: code, text: code })));
  }
  return items;
}

function drawChart(record) {
  const width = 900, height = 280, left = 46, right = 14, top = 14, bottom = 34;
  const points = record.points;
  const x = (i) => left + (points.length > 1 ? ((width - left - right) * i) / (points.length - 1) : (width - left - right) / 2);
  const y = (value) => top + (height - top - bottom) * (1 - (value + 1) / 2);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart" });
  for (const value of [-1, -0.5, 0, 0.5, 1]) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(value), y2: y(value), class: value === 0 ? "axis zero" : "axis" }));
    const label = svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", class: "tick" });
    label.textContent = value.toFixed(1);
    chart.append(label);
  }
  const turnStarts = new Set(record.turning_points.map((turn) => turn.period_start));
  points.forEach((point, i) => {
    if (turnStarts.has(point.period_start)) {
      chart.append(svg("line", { x1: x(i), x2: x(i), y1: top, y2: height - bottom, class: "turn", "data-testid": "turn" }));
    }
  });
  // Periods without events have no reading: the line joins the periods that have one.
  const observedPath = points.flatMap((p, i) => (p.n_events ? [`${x(i)},${y(p.index)}`] : []));
  chart.append(svg("polyline", { points: observedPath.join(" "), class: "series" }));
  const step = Math.max(1, Math.floor(points.length / 8));
  points.forEach((point, i) => {
    if (i % step === 0) {
      const tick = svg("text", { x: x(i), y: height - 10, "text-anchor": "middle", class: "tick" });
      tick.textContent = point.period_start.slice(0, 7);
      chart.append(tick);
    }
    if (!point.n_events) return;
    const dot = svg("circle", {
      cx: x(i), cy: y(point.index), r: Math.min(3 + Math.sqrt(point.n_events), 10),
      class: `dot ${point.index < 0 ? "conflict" : "cooperation"}`, tabindex: 0,
      "data-period": point.period_start, "data-testid": "point",
    });
    const tip = svg("title");
    tip.textContent = `${point.period_start}: index ${point.index.toFixed(2)}, ${point.n_events} events`;
    dot.append(tip);
    const choose = () => setState({ point: point.period_start });
    dot.addEventListener("click", choose);
    dot.addEventListener("keydown", (keyEvent) => { if (keyEvent.key === "Enter") choose(); });
    chart.append(dot);
  });
  $("#chart").replaceChildren(chart);
}

async function showPointEvents(record, periodStart) {
  const point = record.points.find((p) => p.period_start === periodStart);
  const list = $("#events");
  list.replaceChildren();
  if (!point) { $("#events-title").textContent = ""; return; }
  $("#events-title").textContent = `${point.n_events} events from ${point.period_start} (index ${point.index.toFixed(2)})`;
  if (!point.canonical_ids.length) return;
  const { items } = await api("events", { ids: point.canonical_ids.slice(0, 400).join(","), limit: 500 });
  for (const event of items) {
    list.append(el("li", { class: "event", "data-testid": "event" },
      el("div", { class: "line", text: eventLine(event) }), evidence(event), articleLink(event.doc_id, event.article_title)));
  }
}

async function renderRelations(params) {
  const a = params.get("a"), b = params.get("b");
  if (!a || !b) { $("#summary").textContent = "Choose two actors and press Show."; return; }
  const record = await api("relations", { dyad: `${a},${b}`, freq: params.get("freq") || "month",
    since: params.get("since"), until: params.get("until") });
  const observed = record.points.filter((p) => p.n_events);
  const trend = record.trend ? `Trend: ${record.trend.direction} (${record.trend.slope_per_year.toFixed(2)} per year).` : "";
  $("#summary").textContent = observed.length
    ? `${a}–${b}: ${observed.reduce((n, p) => n + p.n_events, 0)} events in ${observed.length} periods. ${trend}`
    : `No events between ${a} and ${b} in this period.`;
  $("#turns").replaceChildren(...record.turning_points.map((turn) =>
    el("li", { text: `Turning point ${turn.period_start}: ${turn.direction} (${turn.before.toFixed(2)} → ${turn.after.toFixed(2)})` })));
  drawChart(record);
  await showPointEvents(record, params.get("point"));
}

async function renderChains(params) {
  const a = params.get("a"), b = params.get("b");
  const { items } = await api("reciprocity", { dyad: a && b ? `${a},${b}` : null });
  const chains = new Map();
  for (const link of items) {
    if (!chains.has(link.chain_id)) chains.set(link.chain_id, []);
    chains.get(link.chain_id).push(link);
  }
  const blocks = [];
  for (const [chainId, links] of chains) {
    const steps = el("ol");
    steps.append(el("li", {}, el("div", { text: eventLine(links[0].action) }), evidence(links[0].action), articleLink(links[0].action.doc_id)));
    for (const link of links) {
      const cue = link.cue ? ` — “${link.cue}”` : "";
      steps.append(el("li", {}, el("div", { text: `${eventLine(link.response)} (confidence ${link.confidence.toFixed(2)}${cue})` }),
        evidence(link.response), articleLink(link.response.doc_id)));
    }
    blocks.push(el("div", { class: "chain", "data-testid": "chain" }, el("h3", { text: chainId }), steps));
  }
  $("#chains").replaceChildren(...(blocks.length ? blocks : [el("p", { text: "No tit-for-tat responses found." })]));
}

async function renderArticle(articleId) {
  const response = await fetch(`/api/articles/${encodeURIComponent(articleId)}`);
  const article = await response.json();
  if (!response.ok) { $("#article-title").textContent = article.detail; return; }
  $("#article-title").textContent = article.title || article.id;
  $("#article-meta").textContent = [article.source, article.published, article.language, `${article.chars} characters`].filter(Boolean).join(" · ");
  const sentences = new Set(article.events.map((event) => event.sentence));
  const body = $("#article-text");
  body.replaceChildren();
  for (const paragraph of article.text.split(/\n+/)) {
    const p = el("p");
    let rest = paragraph;
    for (const sentence of sentences) {
      const at = rest.indexOf(sentence);
      if (at >= 0) {
        p.append(rest.slice(0, at), el("mark", { class: "event-sentence", text: sentence }));
        rest = rest.slice(at + sentence.length);
      }
    }
    p.append(rest);
    body.append(p);
  }
  const links = $("#article-links");
  links.replaceChildren();
  if (article.duplicate_of) {
    links.append(el("p", {}, `${article.duplicate_of.dup_kind} copy of `, articleLink(article.duplicate_of.doc_id)));
  }
  if (article.copies.length) {
    const list = el("ul");
    for (const copy of article.copies) list.append(el("li", {}, articleLink(copy.doc_id), ` (${copy.dup_kind}, ${copy.similarity.toFixed(2)})`));
    links.append(el("p", { text: "Copies:" }), list);
  }
  if (article.story) {
    const list = el("ul");
    for (const docId of article.story.doc_ids) if (docId !== article.id) list.append(el("li", {}, articleLink(docId)));
    links.append(el("p", { text: `Story: ${article.story.title || article.story.story_id}` }), list);
  }
}

async function render() {
  const params = state();
  for (const [id, key] of [["#side-a", "a"], ["#side-b", "b"], ["#freq", "freq"], ["#since", "since"], ["#until", "until"]]) {
    if (params.get(key)) $(id).value = params.get(key);
  }
  const view = params.get("article") ? "article" : params.get("view") || "relations";
  $("#relations-view").hidden = view !== "relations";
  $("#chains-view").hidden = view !== "chains";
  $("#article-view").hidden = view !== "article";
  try {
    if (view === "article") await renderArticle(params.get("article"));
    else if (view === "chains") await renderChains(params);
    else await renderRelations(params);
  } catch (error) {
    $("#summary").textContent = `Error: ${error.message}`;
  }
}

async function start() {
  const actors = await loadActors();
  const params = state();
  if (!params.get("a") && actors.length >= 2) {
    params.set("a", actors[0].code);
    params.set("b", actors[1].code);
    window.history.replaceState(null, "", `?${params.toString()}`);
  }
  $("#controls").addEventListener("submit", (submitEvent) => {
    submitEvent.preventDefault();
    setState({ a: $("#side-a").value, b: $("#side-b").value, freq: $("#freq").value,
      since: $("#since").value, until: $("#until").value, point: null, article: null, view: "relations" });
  });
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", (clickEvent) => {
      clickEvent.preventDefault();
      setState({ view: tab.dataset.view, article: null });
    });
  }
  $("#back").addEventListener("click", (clickEvent) => { clickEvent.preventDefault(); window.history.back(); });
  window.addEventListener("popstate", render);
  await render();
}

start();
