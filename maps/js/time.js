/* The time control (bottom left): a window over TimeBlock.steps with two
 * handles, window or cumulative mode, playback, and whether undated events
 * show. It holds no filter of its own: every change is a setView, and it
 * shows whatever view the map has (em:view), restored from the fragment
 * too. The logic is in playback.js. Text is set with textContent only. */

import { el } from "./dom.js";
import { control } from "./controls.js";
import {
  clamp, endLabels, playFrom, selOf, SPEEDS, speedOf, stepSel, stepsOf, undatedLabel, undatedShown,
  windowLabel, windowOf,
} from "./playback.js";
import { setView } from "./view.js";

function button(cls, text, label) {
  const b = el("button", "em-time-button " + cls, text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.title = label;
  return b;
}

function range(cls, label, n) {
  const input = el("input", "em-time-input " + cls);
  input.type = "range";
  input.min = "0"; input.max = String(Math.max(n - 1, 0)); input.step = "1";
  input.setAttribute("aria-label", label);
  return input;
}

/* Window / cumulative, as two radio buttons (one tab stop, arrows switch). */
function modeSwitch(name) {
  const box = el("div", "em-time-mode");
  box.setAttribute("role", "radiogroup");
  box.setAttribute("aria-label", "Time mode");
  const radios = {};
  [["window", "Window", "Show the events in a window of time"],
    ["cumulative", "Up to", "Show every event up to a time"]].forEach(([value, text, title]) => {
    const label = el("label", "em-time-mode-option");
    label.title = title;
    const radio = el("input");
    radio.type = "radio"; radio.name = name; radio.value = value;
    label.appendChild(radio);
    label.appendChild(el("span", null, text));
    box.appendChild(label);
    radios[value] = radio;
  });
  return { box, radios };
}

export function timeControl(map, d) {
  const steps = stepsOf(d);
  const n = steps.length;
  let sel = { mode: "window", i0: 0, i1: Math.max(n - 1, 0) };
  let start = 0;          // the window's start, kept while in cumulative mode
  let speed = speedOf("1");
  let timer = null;       // the next tick of playback, while playing
  let sent = null;        // the window this control last set (t0/t1)

  const box = el("div", "em-time leaflet-control");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Time");
  const head = el("div", "em-time-head");
  const out = el("output", "em-time-value", "all dates");
  head.appendChild(out);
  const mode = modeSwitch("em-time-mode-" + map.getContainer().id);
  if (n > 1) { head.appendChild(mode.box); }
  box.appendChild(head);

  const track = el("div", "em-time-range");
  const fill = el("div", "em-time-fill");
  const lo = range("em-time-start", "Window start", n);
  const hi = range("em-time-end", "Window end", n);
  const rail = el("div", "em-time-track");
  rail.appendChild(fill);
  track.appendChild(rail);
  track.appendChild(lo);
  track.appendChild(hi);
  const ends = el("div", "em-time-ends");
  endLabels(steps, d.unit).forEach((text) => ends.appendChild(el("span", null, text)));

  const bar = el("div", "em-time-play");
  const back = button("em-time-back", "‹", "Step back");
  const toggle = button("em-time-toggle", "▶", "Play");
  const forward = button("em-time-forward", "›", "Step forward");
  const speeds = el("select", "em-time-speed");
  speeds.setAttribute("aria-label", "Playback speed");
  speeds.title = "Playback speed";
  SPEEDS.forEach((s) => {
    const o = el("option", null, s.label);
    o.value = s.id;
    speeds.appendChild(o);
  });
  speeds.value = speed.id;
  [back, toggle, forward, speeds].forEach((b) => bar.appendChild(b));
  if (n > 1) {
    box.appendChild(track);
    box.appendChild(ends);
    box.appendChild(bar);
  }

  let undated = null;
  if (d.undated) {
    const note = el("label", "em-time-note");
    undated = el("input", "em-time-undated");
    undated.type = "checkbox"; undated.checked = true;
    note.appendChild(undated);
    note.appendChild(el("span", null, undatedLabel(d.undated)));
    box.appendChild(note);
  }

  /* Show a selection on the handles, the fill between them and the buttons. */
  function draw() {
    lo.value = String(sel.i0); hi.value = String(sel.i1);
    lo.setAttribute("aria-valuetext", n ? steps[sel.i0].label : "");
    hi.setAttribute("aria-valuetext", n ? steps[sel.i1].label : "");
    const cumulative = sel.mode === "cumulative";
    box.classList.toggle("em-time-cumulative", cumulative);
    lo.hidden = cumulative;
    hi.setAttribute("aria-label", cumulative ? "Show events up to" : "Window end");
    mode.radios.window.checked = !cumulative;
    mode.radios.cumulative.checked = cumulative;
    // Handles at the same step: the one that can still move is on top.
    track.classList.toggle("em-time-start-top", sel.i0 === sel.i1 && sel.i1 === n - 1);
    const span = Math.max(n - 1, 1);
    fill.style.left = (cumulative ? 0 : (100 * sel.i0) / span) + "%";
    fill.style.right = (100 - (100 * sel.i1) / span) + "%";
    back.disabled = !stepSel(sel, n, -1);
    forward.disabled = !stepSel(sel, n, 1);
  }

  function apply(next, source) {
    sel = clamp(next, n);
    if (sel.mode === "window") { start = sel.i0; }
    draw();
    sent = windowOf(steps, sel);
    setView(map, sent, source);
  }

  function pause() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    toggle.textContent = "▶";
    toggle.setAttribute("aria-label", "Play"); toggle.title = "Play";
    box.classList.remove("em-time-playing");
  }

  function tick() {
    const next = stepSel(sel, n, 1);
    if (!next) { pause(); return; }
    apply(next, "play");
    // Stop at the end, without a last tick that does nothing.
    timer = stepSel(sel, n, 1) ? setTimeout(tick, speed.ms) : null;
    if (timer === null) { pause(); }
  }

  function play() {
    const from = playFrom(sel, n);
    if (from.i0 !== sel.i0 || from.i1 !== sel.i1) { apply(from, "play"); }
    toggle.textContent = "❚❚";
    toggle.setAttribute("aria-label", "Pause"); toggle.title = "Pause";
    box.classList.add("em-time-playing");
    timer = setTimeout(tick, speed.ms);
  }

  toggle.addEventListener("click", () => { if (timer === null) { play(); } else { pause(); } });
  back.addEventListener("click", () => {
    pause();
    const next = stepSel(sel, n, -1);
    if (next) { apply(next, "ui"); }
  });
  forward.addEventListener("click", () => {
    pause();
    const next = stepSel(sel, n, 1);
    if (next) { apply(next, "ui"); }
  });
  speeds.addEventListener("change", () => {
    speed = speedOf(speeds.value);
    if (timer !== null) { clearTimeout(timer); timer = setTimeout(tick, speed.ms); }
  });
  // A drag (or a key on a handle) takes over from playback. The handles
  // never cross: the one moved stops at the other.
  [lo, hi].forEach((input) => { input.addEventListener("pointerdown", pause); });
  lo.addEventListener("input", () => {
    pause();
    const i0 = Math.min(parseInt(lo.value, 10), sel.i1);
    apply({ mode: sel.mode, i0, i1: sel.i1 }, "ui");
  });
  hi.addEventListener("input", () => {
    pause();
    const i1 = Math.max(parseInt(hi.value, 10), sel.mode === "cumulative" ? 0 : sel.i0);
    apply({ mode: sel.mode, i0: sel.i0, i1 }, "ui");
  });
  Object.keys(mode.radios).forEach((value) => {
    mode.radios[value].addEventListener("change", () => {
      if (!mode.radios[value].checked || value === sel.mode) { return; }
      pause();
      const i0 = value === "window" ? Math.min(start, sel.i1) : 0;
      apply({ mode: value, i0, i1: sel.i1 }, "ui");
    });
  });
  if (undated) {
    undated.addEventListener("change", () => {
      setView(map, { undated: undated.checked ? "show" : "hide" }, "ui");
    });
  }

  /* Show the map's view, whoever set it; never set it back. A window that is
   * not the one playback set (a fragment, another control) stops playback. */
  map.on("em:view", (e) => {
    const view = e.view;
    const t0 = view.t0 === undefined ? null : view.t0;
    const t1 = view.t1 === undefined ? null : view.t1;
    if (timer !== null && (!sent || sent.t0 !== t0 || sent.t1 !== t1)) { pause(); }
    const next = clamp(selOf(steps, { t0, t1 }, sel.mode), n);
    if (next.mode !== sel.mode || next.i0 !== sel.i0 || next.i1 !== sel.i1) {
      sel = next;
      if (sel.mode === "window") { start = sel.i0; }
    }
    draw();
    out.textContent = windowLabel(steps, { t0, t1 }, d.unit);
    if (undated) { undated.checked = undatedShown(view); }
  });

  draw();
  return control("bottomleft", () => box).addTo(map);
}
