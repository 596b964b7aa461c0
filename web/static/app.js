/* backride-web's live view: the state arrives by Server-Sent Events (/api/events), actions
   are POSTs with the page's CSRF token (/api/config). */
"use strict";

const $ = (id) => document.getElementById(id);
const NEXT = {
  waiting: "Confirm the belt", countdown: "Warm-up", warmup: "Steady", steady: "Cool-down",
  cooldown: "Stretches", stopping: "Stretches", stretches: "Done", done: "Rest well",
};
const PHASE = {
  waiting: "Waiting", countdown: "Countdown", warmup: "Warm-up", steady: "Steady",
  cooldown: "Cool-down", stopping: "Stopping", stretches: "Stretches", done: "Done",
};
const app = { csrf: null, state: null, points: [], lastElapsed: -1, sessionId: null, notice: "" };

function clock(s) {
  if (s === null || s === undefined) return "—";
  s = Math.max(0, Math.round(s));
  return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

/* The value the rider follows, and its target: power or resistance on a bike, speed on a
   treadmill. */
function mainValue(s) {
  const m = s.Metrics || {}, t = s.Targets || {};
  if (s.Kind === "treadmill")
    return { label: "Speed", unit: " km/h",
      cur: m.speed_ckmh != null ? (m.speed_ckmh / 100).toFixed(1) : null,
      tgt: t.speed != null ? (t.speed / 100).toFixed(1) : null,
      curN: m.speed_ckmh != null ? m.speed_ckmh / 100 : null, tgtN: t.speed != null ? t.speed / 100 : null };
  if (t.power == null && t.resistance != null)
    return { label: "Resistance", unit: "",
      cur: m.resistance != null ? (m.resistance / 10).toFixed(1) : null, tgt: (t.resistance / 10).toFixed(1),
      curN: m.resistance != null ? m.resistance / 10 : null, tgtN: t.resistance / 10 };
  return { label: "Power", unit: " W", cur: m.power_w != null ? m.power_w : null,
    tgt: t.power != null ? t.power : null, curN: m.power_w != null ? m.power_w : null,
    tgtN: t.power != null ? t.power : null };
}

function setText(id, text) {
  const e = $(id);
  if (e.textContent !== String(text)) e.textContent = text;
}

function renderSession(st) {
  const s = st.session;
  const running = s && s.Phase && s.Phase !== "done";
  if (!s) {
    setText("phase", st.state === "session" ? "Session" : "No session");
    setText("left", "—");
    setText("next", "Start one with 'backride start'");
    setText("current", "—");
    setText("target", "—");
    setText("hr", "—");
    setText("hrcap", "—");
  } else {
    if (s.Id !== app.sessionId) {
      app.sessionId = s.Id;
      app.points = [];
      app.lastElapsed = -1;
    }
    const v = mainValue(s);
    setText("phase", (PHASE[s.Phase] || s.Phase) + (s.Paused ? " · paused" : ""));
    setText("left", running ? clock(s.Remaining) : "—");
    setText("next", s.Phase === "done" ? "Ended: " + (s.EndReason || "done") : (NEXT[s.Phase] || "—"));
    setText("current-label", v.label);
    setText("unit", v.unit);
    setText("current", v.cur === null ? "—" : v.cur);
    setText("target", v.tgt === null ? "—" : v.tgt + v.unit);
    const hr = (s.Metrics || {}).hr_bpm;
    setText("hr", hr != null ? hr : "—");
    setText("hrcap", s.HeartRateCap ? s.HeartRateCap + " bpm" : "none set");
    $("hr").parentElement.parentElement.classList.toggle("over", !!(hr && s.HeartRateCap && hr > s.HeartRateCap));
    setText("lastpain", s.LastPain >= 0 ? "(last: " + s.LastPain + ")" : "");
    if (running && s.Elapsed !== app.lastElapsed) {
      app.lastElapsed = s.Elapsed;
      app.points.push([s.Elapsed, v.curN, v.tgtN, hr != null ? hr : null]);
      if (app.points.length > 600) app.points.shift();
    }
  }
  $("pause").textContent = s && s.Paused ? "Resume" : "Pause";
  $("belt").hidden = !(s && s.Phase === "waiting");
  for (const id of ["pause", "stop", "ease"]) $(id).disabled = !running;
  for (const b of $("pain-buttons").children) b.disabled = !running;
  renderBanner(st);
  renderEvents(st.events || []);
  drawLive(s);
}

function renderBanner(st) {
  const s = st.session;
  let text = "", big = false;
  if (s && s.Phase === "countdown") {
    const ev = (st.events || []).slice().reverse().find((e) => /belt|start/i.test(e.detail));
    text = ev ? ev.detail : "The belt is about to start";
    big = true;
  } else if (s && s.Phase === "waiting") {
    text = "The belt waits for you: press Start the belt when you stand on the side rails.";
  } else if (s && s.Phase !== "done" && s.Paused) {
    text = "Paused" + (s.PauseReason ? ": " + s.PauseReason : "") + (s.Message ? ". " + s.Message : "");
  } else if (app.notice) {
    text = app.notice;
  } else if (s && (s.Advice || s.Message)) {
    text = s.Advice ? "Now: " + s.Advice : s.Message;
  }
  $("banner").hidden = !text;
  $("banner").classList.toggle("big", big);
  setText("banner", text);
}

function renderEvents(events) {
  const ul = $("events");
  /* What the rider cares about: the session, the link and faults, not each control-point step. */
  const html = events.filter((e) => e.type !== "control" && e.type !== "bluez").slice(-4).reverse().map((e) => e.detail);
  if (ul.dataset.last === JSON.stringify(html)) return;
  ul.dataset.last = JSON.stringify(html);
  ul.replaceChildren(...html.map((t) => { const li = document.createElement("li"); li.textContent = t; return li; }));
}

function drawLive(s) {
  const pts = app.points;
  const lines = s && s.HeartRateCap ? [{ y: s.HeartRateCap, color: "#ff7a7a", axis: "right" }] : [];
  drawChart($("chart"), [
    { points: pts.map((p) => [p[0], p[2]]), color: "#f4c25b", dash: true, axis: "left" },
    { points: pts.map((p) => [p[0], p[1]]), color: "#f2f5f4", axis: "left" },
    { points: pts.map((p) => [p[0], p[3]]), color: "#ff7a7a", axis: "right", width: 2 },
  ], { lines, xLabel: clock });
}

async function post(path) {
  const r = await fetch(path, { method: "POST", headers: { "X-Backride-CSRF": app.csrf } });
  let body = {};
  try { body = await r.json(); } catch (e) { /* an empty answer */ }
  if (!r.ok) throw new Error(body.message || "The daemon refused (" + r.status + ").");
  return body;
}

function notify(text) {
  app.notice = text;
  clearTimeout(app.noticeTimer);
  app.noticeTimer = setTimeout(() => { app.notice = ""; if (app.state) renderBanner(app.state); }, 8000);
  if (app.state) renderBanner(app.state);
}

async function act(path, done) {
  try {
    await post(path);
    if (done) notify(done);
  } catch (e) {
    notify(e.message);
  }
}

function confirmThen(text, fn) {
  $("dialog-text").textContent = text;
  $("dialog").hidden = false;
  $("confirm-yes").onclick = () => { $("dialog").hidden = true; fn(); };
  $("confirm-no").onclick = () => { $("dialog").hidden = true; };
}

function painButtons() {
  const row = $("pain-buttons");
  for (let p = 0; p <= 10; p++) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = "pain-" + p;
    b.textContent = p;
    b.style.setProperty("--p", p);
    b.setAttribute("aria-label", "Pain " + p);
    b.onclick = () => {
      for (const o of row.children) o.classList.toggle("sent", o === b);
      act("/api/pain?value=" + p, p >= 6 ? "Pain " + p + ": cooling down, the session ends after it."
        : p >= 4 ? "Pain " + p + " noted: the level is lowered and will not rise again."
        : "Pain " + p + " noted.");
    };
    row.appendChild(b);
  }
}

function connect() {
  const es = new EventSource("/api/events");
  es.addEventListener("state", (ev) => {
    app.state = JSON.parse(ev.data);
    setText("link", "Live");
    $("link").classList.remove("bad");
    renderSession(app.state);
  });
  es.onerror = () => {
    setText("link", "Reconnecting…");
    $("link").classList.add("bad");
  };
}

function show(view) {
  $("live").hidden = view !== "live";
  $("history").hidden = view !== "history";
  $("tab-live").setAttribute("aria-pressed", view === "live");
  $("tab-history").setAttribute("aria-pressed", view === "history");
  if (view === "history") loadHistory();
  else if (app.state) renderSession(app.state);
}

async function main() {
  painButtons();
  $("ease").onclick = () => act("/api/ease", "Eased one step.");
  $("pause").onclick = () => act(app.state && app.state.session && app.state.session.Paused ? "/api/resume" : "/api/pause");
  $("stop").onclick = () => confirmThen("Stop the session? The machine comes to rest first.",
    () => act("/api/stop", "Stopping: the machine comes to rest."));
  $("belt").onclick = () => confirmThen("Start the belt? A countdown follows; stand on the side rails.",
    () => act("/api/confirm-belt"));
  $("tab-live").onclick = () => show("live");
  $("tab-history").onclick = () => show("history");
  window.addEventListener("resize", () => { if (app.state) drawLive(app.state.session); });
  const r = await fetch("/api/config");
  if (!r.ok) {
    setText("link", r.status === 401 ? "Not paired: open the link from 'backride-web --pair'." : "backride-web refused (" + r.status + ")");
    $("link").classList.add("bad");
    return;
  }
  app.csrf = (await r.json()).csrf;
  connect();
}

document.addEventListener("DOMContentLoaded", main);
