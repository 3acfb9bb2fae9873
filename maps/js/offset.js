/* A mend for leaflet-polylineoffset 1.1.1, which draws the flows beside their
 * routes. It offsets every segment of the projected line and joins them; where
 * the points are closer together than the offset (a great circle at low zoom:
 * the outer supply lanes are 18-22 px out, their points 3-10 px apart from
 * zoom ~2.75 down), the joins of such short segments zigzag back and forth
 * and loop: a scribble on the flow, on screen and in print. Thinning the
 * points to the offset's spacing first removes the cause; where the points
 * are farther apart (any zoom in), nothing changes. */

/* The points at least `spacing` px apart, first and last kept. */
export function thinned(points, spacing) {
  if (points.length < 3 || !(spacing > 0)) { return points; }
  const far = (a, b) => Math.hypot(a.x - b.x, a.y - b.y) >= spacing;
  const out = [points[0]];
  for (let i = 1; i < points.length - 1; i += 1) {
    if (far(points[i], out[out.length - 1])) { out.push(points[i]); }
  }
  const end = points[points.length - 1];
  if (out.length > 1 && !far(end, out[out.length - 1])) { out.pop(); }
  out.push(end);
  return out;
}

export function mendOffsetJoins(L) {
  const P = L && L.PolylineOffset;
  if (!P || P.offsetPoints.mended) { return; }
  const offsetPoints = P.offsetPoints;
  P.offsetPoints = function (pts, offset) {
    return offsetPoints.call(this, thinned(pts, Math.abs(offset)), offset);
  };
  P.offsetPoints.mended = true;
}
