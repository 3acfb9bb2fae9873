/* Decoding a compact layer's columns (maps/compact.py encodes them):
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

/* Event i as the shared popup builder expects it. Until the text block is
 * decompressed (text null), the id is the index and there is no description. */
export function compactFeature(d, cols, text, i) {
  const t = text || NO_TEXT;
  const value = (name) => columnValue(cols[name], i);
  const figures = value("figures"), sources = value("sources"), actors = value("actors");
  return {
    id: t.id[i] || String(i), title: value("title"), date: value("date"),
    where: value("where"), layer_label: d.layer_label, color: d.color,
    figures: figures ? [{ label: figures }] : [], description: t.description[i],
    sources: sources ? JSON.parse(sources).map((s) => ({ name: s })) : [],
    actors: actors ? JSON.parse(actors) : [], confidence: value("confidence"),
    status: value("status"), notes: t.notes[i],
  };
}
