import assert from "node:assert/strict";
import { test } from "node:test";

import {
  bundleLine, clusterLine, countLabel, dateLabel, escapeHtml, kindLine, metaLine, otherLine,
  countOf, flagLine, safeUrl, sourceDate, sourcesHeading,
} from "../../maps/js/labels.js";

test("only http(s) URLs become links", () => {
  assert.equal(safeUrl("https://example.org/a?b=1"), "https://example.org/a?b=1");
  assert.equal(safeUrl("HTTP://EXAMPLE.ORG"), "HTTP://EXAMPLE.ORG");
  for (const url of ["javascript:alert(1)", " https://x", "data:text/html,x", "//x.org", null, 3]) {
    assert.equal(safeUrl(url), null);
  }
});

test("text for HTML-taking Leaflet APIs is escaped", () => {
  assert.equal(escapeHtml(`<img src=x onerror="a('b')">&`), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;");
  assert.equal(escapeHtml(42), "42");
});

test("dates and popup heads", () => {
  assert.equal(dateLabel("October 2024"), "October 2024");
  assert.equal(dateLabel(null), "undated");
  assert.equal(dateLabel(""), "undated");
  assert.equal(kindLine({ layer_label: "Casualties", date: "2024-10-13" }), "Casualties · 2024-10-13");
  assert.equal(kindLine({ layer_label: "Casualties", date: null }), "Casualties · undated");
  // Rows of any GeoDataFrame have no date to speak of.
  assert.equal(kindLine({ layer_label: "Features", date: null }, { dated: false }), "Features");
  assert.equal(bundleLine({ layer_label: "Troop deployments" }, 2), "Troop deployments · 2 events on this route");
});

test("sources and other figures", () => {
  assert.equal(sourceDate({ date: "2024-10" }), " (2024-10)");
  assert.equal(sourceDate({}), "");
  assert.equal(otherLine({ source: "NIS", date: "2025-06" }), " — NIS (2025-06)");
  assert.equal(otherLine({ source: "NIS" }), " — NIS");
  assert.equal(sourcesHeading(1), "Source");
  assert.equal(sourcesHeading(2), "Sources");
});

test("the meta line: confidence, draft status, actors", () => {
  assert.equal(metaLine({}), "");
  assert.equal(metaLine({ status: "curated", actors: [] }), "");
  assert.equal(
    metaLine({ confidence: "low", status: "draft", actors: ["North Korea", "Russia"] }),
    "Confidence: low · Draft (not yet curated) · Actors: North Korea, Russia",
  );
});

test("cluster counts: as is below 1,000, then thousands", () => {
  const cases = [[1, "1"], [999, "999"], [1000, "1.0k"], [1234, "1.2k"], [9949, "9.9k"],
    [9999, "10.0k"], [10000, "10k"], [12345, "12k"], [999999, "1000k"]];
  for (const [n, text] of cases) { assert.equal(countLabel(n), text, String(n)); }
});

test("a cluster's tooltip line, with the sum of its figures when any", () => {
  assert.equal(clusterLine(1234, 5678, "fatalities"), "1,234 events · 5,678 fatalities");
  assert.equal(clusterLine(3, 0, "fatalities"), "3 events");
  assert.equal(clusterLine(3, 2.5, null), "3 events · 2.5 ");
  assert.equal(clusterLine(1, 1, "fatalities", "fatality"), "1 event · 1 fatality");
  assert.equal(clusterLine(2, 1, "fatalities", "fatality"), "2 events · 1 fatality");
});

test("counts take the singular for one", () => {
  assert.equal(countOf(1, "event", "events"), "1 event");
  assert.equal(countOf(0, "event", "events"), "0 events");
  assert.equal(countOf(1200, "fatality", "fatalities"), "1,200 fatalities");
  assert.equal(flagLine(1), "⚠ 1 doubt about this event: click for details");
  assert.equal(flagLine(2), "⚠ 2 doubts about this event: click for details");
});
