/* backride-web's history: the session list (History1.ListSessions), one session's charts
   (GetSession, GetSamples) and the weekly progress (Progress). */
"use strict";

function day(ts) {
  const d = new Date(ts * 1000);
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric" }) + " " +
    d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

function minutes(s) {
  return s == null ? "—" : Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
}

async function getJSON(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.message || "Refused (" + r.status + ")");
  return body;
}

async function loadHistory() {
  const tbody = document.getElementById("sessions");
  try {
    const [list, progress] = await Promise.all([getJSON("/api/history?limit=50"),
      getJSON("/api/progress?weeks=12")]);
    tbody.replaceChildren(...list.map((s) => {
      const tr = document.createElement("tr");
      const avg = s.kind === "treadmill" ? (s.avg_speed_kmh != null ? s.avg_speed_kmh.toFixed(1) + " km/h" : "—")
        : (s.avg_power_w != null ? s.avg_power_w + " W" : "—");
      const pain = [s.pain_before, s.pain_max, s.pain_after].map((p) => p == null ? "-" : p).join("/");
      for (const t of [day(s.start), s.kind, minutes(s.duration_s), avg, pain, s.end_reason || ""]) {
        const td = document.createElement("td");
        td.textContent = t;
        tr.appendChild(td);
      }
      tr.dataset.id = s.id;
      tr.onclick = () => showSession(s.id, tr);
      return tr;
    }));
    const [totals, plan] = progress;
    drawBars(document.getElementById("weeks"), totals.map((w) => ({
      label: new Date(w.start * 1000).toLocaleDateString(undefined, { month: "numeric", day: "numeric" }),
      value: w.minutes, line: w.pain_max != null ? w.pain_max : null })), "#7fe0c6", "#ff7a7a");
    document.getElementById("plan").textContent = plan.reason_text ?
      "Minutes per week (bars), highest pain (line). Next: " + plan.reason_text : "Minutes per week (bars), highest pain (line).";
  } catch (e) {
    tbody.replaceChildren();
    document.getElementById("plan").textContent = e.message;
  }
}

async function showSession(id, row) {
  for (const r of document.querySelectorAll(".sessions tr.open")) r.classList.remove("open");
  row.classList.add("open");
  const d = await getJSON("/api/session?id=" + id);
  const s = d.session;
  const tread = s.kind === "treadmill";
  document.getElementById("detail").hidden = false;
  document.getElementById("detail-title").textContent = "Session " + id + ": " + s.kind + ", " +
    day(s.start) + ", " + minutes(s.duration_s) + " (" + (s.end_reason || "") + ")";
  /* Sample: [t, phase, power, cadence, speed, distance, hr, incline, resistance, target power,
     target speed, target resistance, target incline]. */
  const cur = d.samples.map((x) => [x[0], tread ? (x[4] == null ? null : x[4] / 100) : x[2]]);
  const tgt = d.samples.map((x) => [x[0], tread ? (x[10] == null ? null : x[10] / 100) : x[9]]);
  const hr = d.samples.map((x) => [x[0], x[6]]);
  const label = (t) => minutes(Math.round(t));
  drawChart(document.getElementById("detail-chart"), [
    { points: tgt, color: "#f4c25b", dash: true }, { points: cur, color: "#f2f5f4", width: 2 }],
    { xLabel: label });
  drawChart(document.getElementById("detail-hr"), [{ points: hr, color: "#ff7a7a", width: 2 }],
    { xLabel: label });
  document.getElementById("detail-events").replaceChildren(...d.events.map((e) => {
    const li = document.createElement("li");
    li.textContent = minutes(e[1]) + "  " + e[2] + "  " + e[4];
    return li;
  }));
}
