/* The time control (bottom left). Text is set with textContent only. */

import { el } from "./dom.js";
import { control } from "./controls.js";
import { timeStop } from "./filter.js";
import { timeLabel, undatedNote } from "./labels.js";
import { setTime } from "./state.js";

/* One slider over months: the map shows what had happened by the chosen
 * month. The last stop shows every event. */
export function timeControl(map, d) {
  const months = d.months; // [{label, t}] with t = last ms of the month
  return control("bottomleft", () => {
    const box = el("div", "em-time leaflet-control");
    const label = el("label", "em-time-label");
    label.appendChild(el("span", null, "Showing: "));
    const out = el("output", "em-time-value");
    label.appendChild(out);
    box.appendChild(label);
    const input = el("input", "em-time-input");
    input.type = "range"; input.min = "0"; input.max = String(months.length);
    input.step = "1"; input.value = String(months.length);
    input.setAttribute("aria-label", "Show events up to this month");
    box.appendChild(input);
    const ends = el("div", "em-time-ends");
    ends.appendChild(el("span", null, months.length ? months[0].label : ""));
    ends.appendChild(el("span", null, "all"));
    box.appendChild(ends);
    let undated = null;
    if (d.undated) {
      const note = el("label", "em-time-note");
      undated = el("input", "em-time-undated");
      undated.type = "checkbox"; undated.checked = true;
      note.appendChild(undated);
      note.appendChild(document.createTextNode(undatedNote(d.undated)));
      box.appendChild(note);
    }
    function apply() {
      const stop = timeStop(months, input.value);
      out.textContent = timeLabel(stop.month);
      setTime(map, stop.t, undated ? !undated.checked : false);
    }
    input.addEventListener("input", apply);
    if (undated) { undated.addEventListener("change", apply); }
    apply();
    return box;
  }).addTo(map);
}
