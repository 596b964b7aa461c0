/* A small hand-written line chart on a canvas: no library. */
"use strict";

/* Draw series on canvas. series: [{ points: [[x, y], ...], color, dash, width, axis: "left" |
   "right" }]; opts: { lines: [{ y, color, axis, label }], xLabel(x) }. Points whose y is null
   are gaps. Each axis scales to its own values, from 0. */
function drawChart(canvas, series, opts) {
  opts = opts || {};
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const font = Math.max(12, Math.min(w, h) * 0.07);
  ctx.font = font + "px DejaVu Sans, sans-serif";
  const pad = { l: font * 2.6, r: font * 2.6, t: font * 0.6, b: font * 1.6 };

  let xmin = Infinity, xmax = -Infinity;
  const ymax = { left: 1, right: 1 };
  for (const s of series) {
    for (const [x, y] of s.points) {
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      if (y !== null && y !== undefined) ymax[s.axis || "left"] = Math.max(ymax[s.axis || "left"], y);
    }
  }
  for (const l of opts.lines || []) ymax[l.axis || "left"] = Math.max(ymax[l.axis || "left"], l.y);
  if (!isFinite(xmin)) { xmin = 0; xmax = 1; }
  if (xmax === xmin) xmax = xmin + 1;
  ymax.left *= 1.1;
  ymax.right *= 1.1;
  const X = (x) => pad.l + (x - xmin) / (xmax - xmin) * (w - pad.l - pad.r);
  const Y = (y, axis) => h - pad.b - y / ymax[axis || "left"] * (h - pad.t - pad.b);

  ctx.strokeStyle = "#2a4048";
  ctx.fillStyle = "#9db0ad";
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let i = 0; i <= 4; i++) {
    const y = pad.t + i * (h - pad.t - pad.b) / 4;
    ctx.moveTo(pad.l, y);
    ctx.lineTo(w - pad.r, y);
  }
  ctx.stroke();
  ctx.textBaseline = "middle";
  ctx.textAlign = "right";
  ctx.fillText(Math.round(ymax.left / 1.1), pad.l - 4, pad.t + font * 0.5);
  if (series.some((s) => s.axis === "right")) {
    ctx.textAlign = "left";
    ctx.fillText(Math.round(ymax.right / 1.1), w - pad.r + 4, pad.t + font * 0.5);
  }
  if (opts.xLabel) {
    ctx.textBaseline = "bottom";
    ctx.textAlign = "left";
    ctx.fillText(opts.xLabel(xmin), pad.l, h);
    ctx.textAlign = "right";
    ctx.fillText(opts.xLabel(xmax), w - pad.r, h);
  }

  for (const l of opts.lines || []) {
    ctx.strokeStyle = l.color;
    ctx.setLineDash([font * 0.3, font * 0.3]);
    ctx.beginPath();
    ctx.moveTo(pad.l, Y(l.y, l.axis));
    ctx.lineTo(w - pad.r, Y(l.y, l.axis));
    ctx.stroke();
  }
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width || 3;
    ctx.setLineDash(s.dash ? [font * 0.5, font * 0.3] : []);
    ctx.beginPath();
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || y === undefined) { pen = false; continue; }
      if (pen) ctx.lineTo(X(x), Y(y, s.axis)); else ctx.moveTo(X(x), Y(y, s.axis));
      pen = true;
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

/* Bars for weekly totals: values [{ label, value, line }], line (pain 0-10) on the right. */
function drawBars(canvas, values, color, lineColor) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (!w || !h) return;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const font = Math.max(12, Math.min(w, h) * 0.08);
  ctx.font = font + "px DejaVu Sans, sans-serif";
  const pad = { l: font * 0.5, r: font * 0.5, t: font * 1.4, b: font * 1.5 };
  const max = Math.max(1, ...values.map((v) => v.value));
  const bw = (w - pad.l - pad.r) / Math.max(1, values.length);
  ctx.textAlign = "center";
  values.forEach((v, i) => {
    const bh = v.value / max * (h - pad.t - pad.b);
    ctx.fillStyle = color;
    ctx.fillRect(pad.l + i * bw + bw * 0.15, h - pad.b - bh, bw * 0.7, bh);
    ctx.fillStyle = "#9db0ad";
    ctx.textBaseline = "bottom";
    if (v.value) ctx.fillText(v.value, pad.l + (i + 0.5) * bw, h - pad.b - bh - 2);
    ctx.textBaseline = "top";
    ctx.fillText(v.label, pad.l + (i + 0.5) * bw, h - pad.b + 2);
  });
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 3;
  ctx.beginPath();
  let pen = false;
  values.forEach((v, i) => {
    if (v.line === null || v.line === undefined) { pen = false; return; }
    const x = pad.l + (i + 0.5) * bw, y = h - pad.b - v.line / 10 * (h - pad.t - pad.b);
    if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
    pen = true;
  });
  ctx.stroke();
  /* A dot on each week, so that a single week shows too. */
  ctx.fillStyle = lineColor;
  values.forEach((v, i) => {
    if (v.line === null || v.line === undefined) return;
    ctx.beginPath();
    ctx.arc(pad.l + (i + 0.5) * bw, h - pad.b - v.line / 10 * (h - pad.t - pad.b), font * 0.3, 0, 2 * Math.PI);
    ctx.fill();
  });
}
