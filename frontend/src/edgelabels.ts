// Shape labels on drawn edges, as the Graphs dashboard labels its edges with tensor
// shapes: a drawn edge gets the shape its graph edges carry (contract: graph.edge_shapes)
// when they all carry the same known one. Pure (no DOM), unit tested under node.

import { type LayoutInput, liftItems } from "./visible";
import { type Model, edgeShape } from "./model";

export const edgeKey = (from: string, to: string) => `${from}|${to}`;

/** The pair of sibling items a graph edge between two visible items is drawn between (visible.ts). */
export function liftEdge(m: Model, l: LayoutInput, a: string, b: string): [string, string] | null {
  const lifted = liftItems(m, l.items, a, b);
  return lifted ? [lifted[1], lifted[2]] : null;
}

/** Drawn data edge (edgeKey(from, to)) -> the one shape all its graph edges carry. */
export function edgeLabels(m: Model, l: LayoutInput): Map<string, string> {
  const edges = m.edges;
  const n = m.nodeNames.length;
  const found = new Map<string, string | null>(); // edge key -> its one shape, or null when they differ
  for (let k = 0; k + 1 < edges.length; k += 2) {
    const src = edges[k];
    const dst = edges[k + 1];
    if (src >= n || dst >= n) continue;
    const pair = liftEdge(m, l, l.itemOfNode(src), l.itemOfNode(dst));
    if (!pair) continue;
    const key = edgeKey(pair[0], pair[1]);
    const shape = edgeShape(m, k / 2);
    const prev = found.get(key);
    if (prev === undefined) found.set(key, shape);
    else if (prev !== shape) found.set(key, null);
  }
  const out = new Map<string, string>();
  // A rank-0 tensor reads better as a word than as "[]" (the Graphs dashboard says "scalar" too).
  for (const [key, shape] of found) if (shape) out.set(key, shape === "[]" ? "scalar" : shape);
  return out;
}

/** The point halfway along a polyline, where its label goes. */
export function midpoint(points: Array<{ x: number; y: number }>): { x: number; y: number } {
  let total = 0;
  for (let i = 1; i < points.length; i++)
    total += Math.hypot(points[i].x - points[i - 1].x, points[i].y - points[i - 1].y);
  let left = total / 2;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const d = Math.hypot(b.x - a.x, b.y - a.y);
    if (d >= left && d > 0)
      return { x: a.x + ((b.x - a.x) * left) / d, y: a.y + ((b.y - a.y) * left) / d };
    left -= d;
  }
  return points[points.length - 1] ?? { x: 0, y: 0 };
}

export interface PlacedLabel {
  key: string;
  text: string;
  x: number;
  y: number;
  anchor: "start" | "end";
}

// .elbl is 9px text (style.ts): about 5.4px a character, and a line of 11px.
const CHAR_W = 5.4;
const LINE_H = 11;
const GAP = 4;

/** Where each edge label goes: right of its edge's midpoint, or left of it, or a line lower,
 *  whichever first clears the labels placed before it. The two edges of a two-way link run
 *  side by side, so their midpoints are a few pixels apart and their labels would overlap. */
export function placeLabels(
  wanted: Array<{ key: string; text: string; at: { x: number; y: number } }>,
): PlacedLabel[] {
  const boxes: Array<{ x0: number; x1: number; y0: number; y1: number }> = [];
  const clear = (b: (typeof boxes)[number]) =>
    boxes.every((o) => b.x1 <= o.x0 || b.x0 >= o.x1 || b.y1 <= o.y0 || b.y0 >= o.y1);
  const out: PlacedLabel[] = [];
  for (const { key, text, at } of wanted) {
    const w = text.length * CHAR_W;
    const box = (anchor: "start" | "end", dy: number) => {
      const x0 = anchor === "start" ? at.x + GAP : at.x - GAP - w;
      return { x0, x1: x0 + w, y0: at.y + dy - LINE_H / 2, y1: at.y + dy + LINE_H / 2 };
    };
    let chosen: { anchor: "start" | "end"; dy: number } = { anchor: "start", dy: 0 };
    search: for (let step = 0; step < 4; step++)
      for (const anchor of ["start", "end"] as const)
        if (clear(box(anchor, step * LINE_H))) {
          chosen = { anchor, dy: step * LINE_H };
          break search;
        }
    const placed = box(chosen.anchor, chosen.dy);
    boxes.push(placed);
    // The text's anchor is the box's edge nearer the line: its start, or its end.
    const x = chosen.anchor === "start" ? placed.x0 : placed.x1;
    out.push({ key, text, x, y: at.y + chosen.dy, anchor: chosen.anchor });
  }
  return out;
}
