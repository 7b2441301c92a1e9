// Pure view maths (no DOM) for fit and focus: which zoom and pan show a set of
// boxes, how far a focus may zoom out before the labels stop being readable,
// and where the arrows to the boxes left off-screen go on the canvas border.

import type { Rect } from "./routing";

/** A view transform: screen = world * k + (tx, ty). */
export interface View {
  k: number;
  tx: number;
  ty: number;
}

/** Labels are 12px in world units (style.ts): at this zoom they render at 11px. */
export const READABLE_K = 11 / 12;
export const MIN_K = 0.02;
export const MAX_K = 1.5;

/** Bounding box of rectangles and points (null when empty). */
export function bounds(rects: Rect[], points: Array<{ x: number; y: number }> = []): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.x);
    y0 = Math.min(y0, r.y);
    x1 = Math.max(x1, r.x + r.w);
    y1 = Math.max(y1, r.y + r.h);
  }
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  return isFinite(x0) ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

/** The view that shows `b` whole in a W x H canvas with `pad` around it. */
export function fitView(b: Rect, W: number, H: number, pad = 40): View {
  const k = Math.min(
    MAX_K,
    Math.max(MIN_K, Math.min((W - 2 * pad) / (b.w || 1), (H - 2 * pad) / (b.h || 1))),
  );
  return { k, tx: W / 2 - (b.x + b.w / 2) * k, ty: H / 2 - (b.y + b.h / 2) * k };
}

/**
 * The first view of a graph: all of it when it fits at a readable zoom, else its top at
 * READABLE_K, centred across, as the Graphs dashboard opens a tall graph at its start: a
 * 177-layer chain (Keras ResNet50) fitted whole is a line of 1 px boxes. A graph wider than
 * the canvas is centred on `entry`, the boxes of its top row, where its flow begins (NASNet's
 * input sits above the middle of cells that branch wide: its left edge showed only edges),
 * or shown from its left edge when that row is wider still. The minimap and Fit show everything.
 */
export function startView(
  b: Rect,
  W: number,
  H: number,
  pad = 40,
  entry: Rect | null = null,
): View {
  const fit = fitView(b, W, H, pad);
  if (fit.k >= READABLE_K) return fit;
  const k = READABLE_K;
  const across = (r: Rect) => r.w * k <= W - 2 * pad;
  const tx = across(b)
    ? W / 2 - (b.x + b.w / 2) * k
    : entry && across(entry)
      ? W / 2 - (entry.x + entry.w / 2) * k
      : pad - (entry ?? b).x * k;
  return { k, tx, ty: pad - b.y * k };
}

/**
 * Focus on `target` and, when they fit at a readable zoom, on `others` too.
 * Never zooms out below READABLE_K: the target is then centred and the others
 * may be off-screen (the view points to them with border arrows).
 */
export function focusView(target: Rect, others: Rect[], W: number, H: number): View {
  const v = fitView(bounds([target, ...others])!, W, H);
  return v.k >= READABLE_K ? v : centreView(target, READABLE_K, W, H);
}

/**
 * The zoom at which a box just opened (w wide) shows across a W-wide canvas: the current one
 * when it fits, else zoomed out until it fits, but never below a readable zoom (nor below k,
 * when the user was already further out). An open series wraps its members into rows
 * (layout.ts SERIES_ROW_W) that fit a canvas at a readable zoom.
 */
export function openedZoom(w: number, k: number, W: number, pad = 24): number {
  const fits = (W - 2 * pad) / (w || 1);
  return k <= fits ? k : Math.max(fits, Math.min(k, READABLE_K));
}

/** The view with zoom k that puts the middle of r at the canvas centre. */
export function centreView(r: Rect, k: number, W: number, H: number): View {
  return { k, tx: W / 2 - (r.x + r.w / 2) * k, ty: H / 2 - (r.y + r.h / 2) * k };
}

/** A rectangle in screen coordinates under a view. */
export function toScreen(r: Rect, v: View): Rect {
  return { x: r.x * v.k + v.tx, y: r.y * v.k + v.ty, w: r.w * v.k, h: r.h * v.k };
}

/** Whether a world rectangle shows at least partly in the W x H canvas. */
export function onScreen(r: Rect, v: View, W: number, H: number): boolean {
  const s = toScreen(r, v);
  return s.x < W && s.x + s.w > 0 && s.y < H && s.y + s.h > 0;
}

/** An arrow on the canvas border: where it sits and the angle (radians) it points at. */
export interface BorderArrow {
  x: number;
  y: number;
  angle: number;
}

/**
 * Where the arrow to an off-screen rectangle goes: on the canvas border, `inset`
 * inside it, on the line from the canvas centre to the rectangle's centre.
 */
export function borderArrow(r: Rect, v: View, W: number, H: number, inset = 18): BorderArrow {
  const s = toScreen(r, v);
  const cx = W / 2;
  const cy = H / 2;
  const dx = s.x + s.w / 2 - cx;
  const dy = s.y + s.h / 2 - cy;
  const hw = Math.max(1, W / 2 - inset);
  const hh = Math.max(1, H / 2 - inset);
  // Scale the direction until it meets the inset border.
  const t = Math.min(
    dx === 0 ? Infinity : hw / Math.abs(dx),
    dy === 0 ? Infinity : hh / Math.abs(dy),
  );
  const f = isFinite(t) ? t : 0;
  return { x: cx + dx * f, y: cy + dy * f, angle: Math.atan2(dy, dx) };
}
