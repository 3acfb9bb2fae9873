import assert from "node:assert/strict";
import { test } from "node:test";

import { layerNames, parse, period, write } from "../../maps/js/fragment.js";
import { defaultView } from "../../maps/js/query.js";

const ms = (iso) => Date.parse(iso);
const view = (patch) => Object.assign(defaultView(), patch);
const quiet = (fn) => {
  const warn = console.warn, said = [];
  console.warn = (m) => { said.push(m); };
  try { return [fn(), said]; } finally { console.warn = warn; }
};

test("the issue's example: March to May 2024, battles", () => {
  assert.deepEqual(parse("#time=2024-03/2024-05&kind=battles"), {
    t0: ms("2024-03-01T00:00:00Z"), t1: ms("2024-05-31T23:59:59.999Z"), kind: ["battles"],
  });
});

test("time: years, months and days; B inclusive; open ends", () => {
  assert.deepEqual(parse("time=2024/2024"), { t0: ms("2024-01-01T00:00:00Z"), t1: ms("2024-12-31T23:59:59.999Z") });
  assert.deepEqual(parse("time=2024-02-28/2024-02-29"),
    { t0: ms("2024-02-28T00:00:00Z"), t1: ms("2024-02-29T23:59:59.999Z") });
  assert.deepEqual(parse("time=/2024-05"), { t0: null, t1: ms("2024-05-31T23:59:59.999Z") });
  assert.deepEqual(parse("time=2024-05/"), { t0: ms("2024-05-01T00:00:00Z"), t1: null });
  assert.deepEqual(period("2023-02-29"), null);
  assert.deepEqual(period("2024-13"), null);
});

test("every key, written in the contract's order, read back the same", () => {
  const v = view({
    map: [6.25, 50.1234, 36.4567], t0: ms("2024-03-01T00:00:00Z"), t1: ms("2024-05-31T23:59:59.999Z"),
    undated: "show", layers: ["battles", "protests"], kind: ["battles"], sub: ["Armed clash"],
    actor: ["Military Forces of Russia (2000-)", "a, b & c"], country: ["UA"], admin1: ["ne:UA-63"],
    fat: [1, 10], prec: ["point", "near"], q: "kharkiv oblast", agg: "region", metric: "fatalities",
  });
  const hash = write(v);
  assert.equal(hash, "#map=6.25/50.1234/36.4567&time=2024-03/2024-05&undated=show&layers=battles,protests" +
    "&kind=battles&sub=Armed%20clash&actor=Military%20Forces%20of%20Russia%20(2000-),a%2C%20b%20%26%20c" +
    "&country=UA&admin1=ne%3AUA-63&fat=1-10&prec=point,near&q=kharkiv%20oblast&agg=region&metric=fatalities");
  const back = Object.assign(defaultView(), parse(hash));
  assert.deepEqual(back, v);
  assert.equal(write(back), hash);
});

test("defaults are left out; the map's own aggregate is its default", () => {
  assert.equal(write(defaultView()), "");
  assert.equal(write(view({ agg: "region" }), { agg: "region" }), "");
  assert.equal(write(view({ agg: "points" }), { agg: "region" }), "#agg=points");
  assert.equal(write(view({ fat: [1, null] })), "#fat=1-");
  assert.equal(write(view({ fat: [null, 10] })), "#fat=-10");
  assert.deepEqual(parse("fat=-10"), { fat: [null, 10] });
  assert.deepEqual(parse("fat=1-"), { fat: [1, null] });
});

test("a window is written as finely as its ends need", () => {
  const t = (a, b) => write(view({ t0: a === null ? null : ms(a), t1: b === null ? null : ms(b) }));
  assert.equal(t("2024-01-01T00:00:00Z", "2024-12-31T23:59:59.999Z"), "#time=2024/2024");
  assert.equal(t("2024-03-04T00:00:00Z", "2024-03-10T23:59:59.999Z"), "#time=2024-03-04/2024-03-10");
  assert.equal(t("2024-03-01T00:00:00Z", "2024-03-10T23:59:59.999Z"), "#time=2024-03-01/2024-03-10");
  assert.equal(t(null, "2024-05-31T23:59:59.999Z"), "#time=/2024-05");
  assert.equal(t("2024-05-01T00:00:00Z", null), "#time=2024-05/");
  for (const hash of ["#time=2024-03-04/2024-03-10", "#time=/2024-05", "#time=2024-05/", "#time=2024/2025"]) {
    assert.equal(write(view(parse(hash))), hash);
  }
});

test("bad values and unknown keys are ignored with a warning, never an error", () => {
  const bad = [
    "time=2024-13/2024-05", "time=2024-02-30/2024-03", "time=24-03/2024-05", "time=2024-05/2024-03",
    "time=/", "time=2024", "time=99999/100000", "fat=a-b", "fat=-", "fat=1e999-", "fat=10-1",
    "fat=123456789012345678901234567890-", "map=1/2", "map=99/0/0", "map=5/91/0", "map=5/0/NaN",
    "map=5/0/Infinity", "undated=maybe", "agg=pie", "metric=deaths", "kind=%E0%A4%A", "q=%",
    "sub=%ZZ", "__proto__=1", "constructor=x", "toString=y", "kind=", "layers=,,,",
  ];
  for (const hash of bad) {
    const [patch, said] = quiet(() => parse("#" + hash));
    assert.deepEqual(patch, {}, hash);
    assert.equal(said.length, 1, hash);
  }
  const [patch] = quiet(() => parse("#__proto__=x&kind=battles&time=2024-03/2024-05x&prototype=1"));
  assert.deepEqual(patch, { kind: ["battles"] });
  assert.equal(Object.getPrototypeOf(patch), Object.prototype);
  assert.equal({}.polluted, undefined);
});

test("data in the fragment stays data: markup is a value like any other", () => {
  const hostile = "<img src=x onerror=alert(1)>";
  const patch = parse("#q=" + encodeURIComponent(hostile) + "&kind=" + encodeURIComponent(hostile));
  assert.deepEqual(patch, { q: hostile, kind: [hostile] });
  assert.equal(write(view(patch)), "#kind=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
});

test("layers are kept only when the map has them; values once each", () => {
  const [patch, said] = quiet(() => parse("layers=battles,nope&kind=a,a,b", { layers: ["battles", "riots"] }));
  assert.deepEqual(patch, { layers: ["battles"], kind: ["a", "b"] });
  assert.equal(said.length, 1);
  assert.match(said[0], /layers "nope"/);
  assert.deepEqual(quiet(() => parse("layers=nope", { layers: ["battles"] }))[0], {});
  // A + is a space, as forms write it; a comma inside a value is %2C.
  assert.deepEqual(parse("q=kharkiv+oblast&actor=a%2Cb,c"), { q: "kharkiv oblast", actor: ["a,b", "c"] });
});

test("a layer keyed by kind is written without its prefix when that names no other layer", () => {
  const meta = { layers: ["kind:battles", "kind:protests", "deployments"] };
  const hash = write(view({ layers: ["kind:battles", "deployments"] }), meta);
  assert.equal(hash, "#layers=battles,deployments");
  assert.deepEqual(parse(hash, meta), { layers: ["kind:battles", "deployments"] });
  // Links written before keep working: the full key is read too, once.
  assert.deepEqual(parse("layers=kind%3Abattles,battles,kind%3Aprotests", meta),
    { layers: ["kind:battles", "kind:protests"] });
  // A layer whose key is the short name itself keeps the long one apart.
  const both = { layers: ["battles", "kind:battles"] };
  assert.deepEqual([...layerNames(both.layers)], [["battles", "battles"], ["kind:battles", "kind:battles"]]);
  assert.equal(write(view({ layers: ["kind:battles"] }), both), "#layers=kind%3Abattles");
  assert.deepEqual(parse("layers=kind%3Abattles", both), { layers: ["kind:battles"] });
  assert.deepEqual(parse("layers=battles", both), { layers: ["battles"] });
  // Without the map's keys, keys are written as they are.
  assert.equal(write(view({ layers: ["kind:battles"] })), "#layers=kind%3Abattles");
});

test("huge input is bounded", () => {
  const many = Array.from({ length: 5000 }, (_, i) => "k" + i).join(",");
  assert.equal(parse("kind=" + many).kind.length, 1000);
  const [patch] = quiet(() => parse("q=" + "x".repeat(10000)));
  assert.deepEqual(patch, {});
});

/* A map's options, as view.js gives them from the FilterBlock. */
const META = {
  layers: ["kind:battles", "kind:protests", "deployments"],
  layerNames: ["Battles", "Protests", "Deployments (reported)"],
  options: {
    kind: [{ id: "battles", label: "Battles" }, { id: "explosions_remote_violence", label: "Explosions/Remote violence" }],
    sub: [{ id: "Armed clash", label: null }, { id: "Shelling/artillery/missile attack", label: null }],
    actor: [{ id: "Military Forces of Ukraine (2019-)", label: null }],
    country: [{ id: "UA", label: "Ukraine" }, { id: "RU", label: "Russia" }],
    admin1: [{ id: "ne:UA-63", label: "Kharkiv" }, { id: "ne:RU-BEL", label: "Belgorod" },
      { id: "ne:XX-1", label: "Central" }, { id: "ne:YY-1", label: "Central" }],
    prec: [{ id: "point", label: "Exact point" }, { id: "near", label: "Near" }],
  },
};

test("a value the data has not is skipped with a warning; a key with none left is ignored", () => {
  for (const hash of ["kind=nonexistent", "kind=__proto__", "kind=constructor", "sub=nope", "actor=x",
    "country=ZZ", "admin1=ne%3AUA-99", "prec=centroid", "layers=nope", "layers=__proto__"]) {
    const [patch, said] = quiet(() => parse("#" + hash, META));
    assert.deepEqual(patch, {}, hash);
    assert.equal(said.length, 1, hash);
    assert.equal(Object.getPrototypeOf(patch), Object.prototype);
  }
  const [patch, said] = quiet(() => parse("#kind=battles,nonexistent,__proto__&country=UA,ZZ", META));
  assert.deepEqual(patch, { kind: ["battles"], country: ["UA"] });
  assert.equal(said.length, 2);
  assert.match(said[0], /kind "nonexistent", "__proto__" \(not in the data\)/);
  // A key whose options the data has none of takes no value at all.
  const [none] = quiet(() => parse("#sub=Armed%20clash", { options: { sub: [] } }));
  assert.deepEqual(none, {});
  // Without the data's options (a fragment read on its own) any value is taken.
  assert.deepEqual(parse("#kind=nonexistent"), { kind: ["nonexistent"] });
});

test("a label, or an id in another case, is taken as the id", () => {
  const [patch, said] = quiet(() => parse(
    "#kind=Battles,EXPLOSIONS_REMOTE_VIOLENCE&sub=armed%20clash&actor=military%20forces%20of%20ukraine%20(2019-)" +
    "&country=ukraine,ru&admin1=KHARKIV,central&prec=Exact%20point,NEAR&layers=Protests,deployments%20(reported)",
    META));
  assert.equal(said.length, 0);
  assert.deepEqual(patch, {
    layers: ["kind:protests", "deployments"], kind: ["battles", "explosions_remote_violence"], sub: ["Armed clash"],
    actor: ["Military Forces of Ukraine (2019-)"], country: ["UA", "RU"],
    admin1: ["ne:UA-63", "ne:XX-1", "ne:YY-1"], prec: ["point", "near"],
  });
  // The label's id once, whichever way it is named.
  assert.deepEqual(parse("#kind=battles,Battles,BATTLES&layers=battles,Battles,kind%3Abattles", META),
    { layers: ["kind:battles"], kind: ["battles"] });
  // An exact id wins over another option's label in another case.
  const clash = { options: { kind: [{ id: "riots", label: "Protests" }, { id: "protests", label: "Protests" }] } };
  assert.deepEqual(parse("#kind=protests", clash), { kind: ["protests"] });
  assert.deepEqual(parse("#kind=PROTESTS", clash), { kind: ["protests"] });
});

test("every layer off is written as an empty layers= and read back so", () => {
  const meta = { layers: ["kind:battles", "deployments"] };
  assert.equal(write(view({ layers: [] }), meta), "#layers=");
  assert.deepEqual(parse("#layers=", meta), { layers: [] });
  assert.deepEqual(parse("#layers=&kind=battles"), { layers: [], kind: ["battles"] });
  assert.equal(write(view(parse("#layers=", meta)), meta), "#layers=");
  // Every layer on is the default, left out.
  assert.equal(write(view({ layers: null }), meta), "");
});

test("fatality bounds are written as finely as they are read", () => {
  const hash = write(view({ fat: [0.1 + 0.2, 1 / 3] }));
  assert.equal(hash, "#fat=0.3-0.333333");
  assert.deepEqual(parse(hash), { fat: [0.3, 0.333333] });
  assert.equal(write(view(parse(hash))), hash);
  assert.equal(write(view({ fat: [2.5, 1e6] })), "#fat=2.5-1000000");
});

test("years before 100 are those years, not 1900 to 1999", () => {
  assert.deepEqual(period("0050"), [Date.parse("0050-01-01T00:00:00Z"), Date.parse("0051-01-01T00:00:00Z")]);
  assert.deepEqual(period("0099-12"), [Date.parse("0099-12-01T00:00:00Z"), Date.parse("0100-01-01T00:00:00Z")]);
  assert.deepEqual(period("0004-02-29"), [Date.parse("0004-02-29T00:00:00Z"), Date.parse("0004-03-01T00:00:00Z")]);
  assert.equal(period("0003-02-29"), null);
  for (const hash of ["#time=0050/0060", "#time=0001-03-04/0001-03-10", "#time=/0099-11"]) {
    assert.equal(write(view(parse(hash))), hash);
  }
});
