/* Decoding a compact layer's columns (maps/layers/compact.py encodes them,
 * maps/contract.py declares them: CompactLayer):
 * base64 little-endian typed arrays, dictionary-encoded strings (each value
 * once, then a code per event, 0 for missing) and one gzip-compressed JSON
 * block of unique text. Pure functions of the payload (no DOM, no Leaflet);
 * they use atob, Blob, Response and DecompressionStream, which browsers and
 * node both have. */

export function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
  return out;
}

/* A typed array over the bytes (little-endian, as every browser is). */
export function typed(b64, Type) {
  const b = bytes(b64);
  return new Type(b.buffer, b.byteOffset, b.byteLength / Type.BYTES_PER_ELEMENT);
}

/* A dictionary column: its values, and a Uint16 or Uint32 code per event. */
export function column(d) {
  return { values: d.values, codes: typed(d.codes, d.bytes === 2 ? Uint16Array : Uint32Array) };
}

export function columnValue(c, i) {
  return c.values[c.codes[i]];
}

/* The text block: base64 of gzip of JSON; a promise of its value. */
export function gunzipJSON(b64) {
  const stream = new Blob([bytes(b64)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text().then(JSON.parse);
}

/* Every column of a payload but the text block: coordinates in 1e-5 degrees
 * (Int32), days since 1970 (Int32, NO_DAY when undated), radius and value
 * (Float32), and the dictionary columns by name. */
export function decodeColumns(d) {
  const cols = {};
  for (const k in d.dict) { cols[k] = column(d.dict[k]); }
  return {
    n: d.n,
    lon: typed(d.lon, Int32Array),
    lat: typed(d.lat, Int32Array),
    day: typed(d.day, Int32Array),
    radius: typed(d.radius, Float32Array),
    value: typed(d.value, Float32Array),
    cols,
  };
}

const NO_TEXT = { id: [], description: [], notes: [] };

/* A JSON list of a dictionary column (figures, sources, actors): null is none. */
function list(json) {
  return json ? JSON.parse(json) : [];
}

/* A source's claim as the popup shows it. maps/layers/compact.py writes a claim
 * that is the event's own description as {"text": "description"} (ACLED's
 * sources claim the event's notes), so that the source list stays one
 * dictionary entry; it is undefined until the text block is read. */
function claimOf(claim, t, i) {
  return claim !== null && typeof claim === "object" ? t[claim.text][i] : claim;
}

export function sourcesOf(json, t, i) {
  return list(json).map((s) => {
    if (s.claim === undefined) { return s; }
    const out = Object.assign({}, s), claim = claimOf(s.claim, t, i);
    if (claim) { out.claim = claim; } else { delete out.claim; }
    return out;
  });
}

/* Event i as the shared popup builder expects it: the record the rich layer
 * sends (maps/contract.py, EventPopup). Until the text block is decompressed
 * (text null), the id is the index and there is no description or notes. */
export function compactFeature(d, cols, text, i) {
  const t = text || NO_TEXT;
  const value = (name) => columnValue(cols[name], i);
  return {
    id: t.id[i] || String(i), title: value("title"), date: value("date"),
    where: value("where"), layer_label: d.layer_label, color: d.color,
    figures: list(value("figures")), description: t.description[i],
    sources: sourcesOf(value("sources"), t, i),
    actors: list(value("actors")), confidence: value("confidence"),
    status: value("status"), notes: t.notes[i],
  };
}
