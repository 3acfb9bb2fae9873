/* eventmap's page code, bundled by build.mjs into one script that defines
 * the global Eventmap (esbuild: format iife, globalName Eventmap). These are
 * the functions the page calls (maps/elements.py writes
 * `Eventmap.<function>(map, Eventmap.data(id))`), and what tests, benchmarks
 * and notebooks read. */

export { data, layerControl, overlay } from "./overlay.js";
export { attribution } from "./controls.js";
export { basemap } from "./basemap.js";
export { legend } from "./legend.js";
export { aggregates } from "./aggregate.js";
export { timeControl } from "./time.js";
export { title } from "./title.js";
export { ready } from "./ready.js";
export {
  filters, getView, link, openRow, setView, shownBounds, shownByLayer, shownCount, shownRows, tables,
} from "./view.js";
export { parse as parseFragment, write as writeFragment } from "./fragment.js";
export { maps } from "./state.js";
export { compactPoint } from "./compact.js";

import { mendOffsetJoins } from "./offset.js";
import { listenPrint } from "./print.js";

mendOffsetJoins(globalThis.L);
listenPrint();
