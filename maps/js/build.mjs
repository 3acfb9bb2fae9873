// Builds the assets a map inlines, into maps/static/ or the folder given:
//   node maps/js/build.mjs [folder]
// Leaflet and leaflet-polylineoffset are copied from node_modules (pinned by
// package-lock.json; `npm ci` first), the page code (maps/js/*.js, ES modules)
// is bundled by esbuild into one script, eventmap.js, that defines the global
// Eventmap, and the style (maps/js/eventmap.css, then maps/js/css/*.css) is
// written beside it as eventmap.css. The output depends on the
// sources and the pinned esbuild only, byte for byte, wherever it is run from.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const out = path.resolve(process.argv[2] || path.join(root, "maps", "static"));
const modules = path.join(root, "node_modules");

function copy(from, to) {
  copyFileSync(path.join(modules, from), path.join(out, to));
}

mkdirSync(path.join(out, "images"), { recursive: true });

// Leaflet, as `make assets` has always copied it.
copy("leaflet/dist/leaflet.css", "leaflet.css");
for (const name of readdirSync(path.join(modules, "leaflet/dist/images")).sort()) {
  if (name.endsWith(".png")) { copy(path.join("leaflet/dist/images", name), path.join("images", name)); }
}
copy("leaflet/package.json", "leaflet.package.json");
copy("leaflet-polylineoffset/leaflet.polylineoffset.js", "leaflet.polylineoffset.js");
copy("leaflet/dist/leaflet.js", "leaflet.js");

// The page code. Leaflet is not imported: the page loads it first, as L.
const result = await build({
  absWorkingDir: root,  // the paths esbuild writes in comments are relative to it
  entryPoints: ["maps/js/index.js"],
  bundle: true,
  format: "iife",
  globalName: "Eventmap",
  target: "es2019",
  platform: "browser",
  legalComments: "none",
  charset: "utf8",
  write: false,
  outfile: path.join(out, "eventmap.js"),
  logLevel: "warning",
});
for (const file of result.outputFiles) { writeFileSync(file.path, file.contents); }

// The style: eventmap.css, then each module's own sheet (maps/js/css/*.css), in
// name order, as one file.
const sheets = [path.join(here, "eventmap.css")].concat(
  readdirSync(path.join(here, "css")).filter((n) => n.endsWith(".css")).sort()
    .map((n) => path.join(here, "css", n)));
writeFileSync(path.join(out, "eventmap.css"),
  sheets.map((f) => readFileSync(f, "utf8").replace(/\s+$/, "") + "\n").join(""));
