// Pure layout (no DOM): the visible items (visible.ts) -> positioned items and edges.
// Only visible items are laid out, so a 100k-op graph collapsed to its top level costs a
// few hundred dagre nodes, not 100k.
//
// Two stages, both exported so they can be unit tested:
//  - buildLayoutInput (visible.ts): which items are visible in which box, and the data-flow
//    edges lifted to the nearest visible ancestors that are siblings;
//  - layout: dagre on every open box, bottom-up, then absolute positions.

import dagre from "@dagrejs/dagre";
import type { Model } from "./model";
import { placeColumn } from "./aux";
import { rerouteEdges } from "./routing";
import {
  type Edge,
  type Item,
  type LayoutInput,
  type ViewInput,
  buildLayoutInput,
  scopeId,
} from "./visible";

/** The outline of one box's machinery column (absolute coordinates). */
export interface AuxArea {
  container: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout extends LayoutInput {
  width: number;
  height: number;
  auxAreas: AuxArea[];
}

// Text width estimate for a 12px sans-serif font; layout must not touch the DOM.
const CHAR_W = 6.8;
const MAX_LABEL = 40;
export const OP_H = 26;
export const SCOPE_H = 40;
export const BADGE_H = 16;
export const BOX_PAD = 14;
export const BOX_HEADER = 30;

export function shorten(s: string, max = MAX_LABEL): string {
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}

function textW(s: string): number {
  return Math.min(s.length, MAX_LABEL) * CHAR_W;
}

/** Width of an aux item's "N links" text. */
export const linksText = (n: number) => `${n.toLocaleString("en-US")} link${n === 1 ? "" : "s"}`;

/** Room an aux item keeps on its right for its "N links" text. */
export const linksWidth = (n: number) => textW(linksText(n)) * 0.85 + 12;

function leafSize(it: Item): void {
  leafSize0(it);
  if (it.aux) it.w += linksWidth(it.links);
}

function leafSize0(it: Item): void {
  const badgeW = it.badge ? textW(it.badge) * 0.92 + 16 : 0;
  if (it.kind === "scope") {
    it.w = Math.max(90, textW(it.label) + 56, badgeW, textW(it.note) * 0.85 + 40);
    it.h = SCOPE_H + (it.badge ? BADGE_H : 0);
  } else if (it.kind === "more") {
    it.w = textW(it.label) + 30;
    it.h = OP_H;
  } else {
    it.w = Math.max(it.kind === "var" ? 70 : 50, textW(it.label) + 26, badgeW);
    it.h = OP_H + (it.badge ? BADGE_H : 0);
  }
}

export function layout(m: Model, view: ViewInput): Layout {
  const input = buildLayoutInput(m, view);
  const { items, children } = input;
  const byContainer = new Map<number, Edge[]>();
  for (const e of input.edges) {
    let l = byContainer.get(e.container);
    if (!l) byContainer.set(e.container, (l = []));
    l.push(e);
  }

  // Lays out one open box; item x/y are relative to the box content origin
  // until the top-down pass below makes them absolute.
  const layBox = (s: number): { w: number; h: number } => {
    const ids = children.get(s) ?? [];
    const g = new dagre.graphlib.Graph({ multigraph: false });
    g.setGraph({ rankdir: "TB", nodesep: 18, ranksep: 34, edgesep: 10, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const id of ids) {
      const it = items.get(id)!;
      if (it.expanded) {
        const sz = layBox(it.scope);
        it.w = Math.max(
          sz.w + 2 * BOX_PAD,
          textW(it.label) + 60,
          it.badge ? textW(it.badge) + 90 : 0,
        );
        it.h = sz.h + BOX_HEADER + BOX_PAD;
      } else leafSize(it);
      g.setNode(id, { width: it.w, height: it.h });
    }
    const edges = byContainer.get(s) ?? [];
    for (const e of edges) g.setEdge(e.from, e.to, { weight: e.kind === "data" ? 2 : 1 });
    if (ids.length === 0) return { w: 0, h: 0 };
    // Machinery has no drawn edges: dagre lays out the model, the column goes beside it.
    const side = ids.map((id) => items.get(id)!).filter((it) => it.aux);
    const main = ids.map((id) => items.get(id)!).filter((it) => !it.aux);
    for (const it of side) g.removeNode(it.id);
    dagre.layout(g);
    for (const it of main) {
      const nd = g.node(it.id);
      it.x = nd.x - it.w / 2;
      it.y = nd.y - it.h / 2;
    }
    const wrapped = wrapWideRanks(main, m.scopes[s].series ? SERIES_ROW_W : MAX_ROW_W);
    placeColumn(main, side);
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const id of ids) {
      const it = items.get(id)!;
      minX = Math.min(minX, it.x);
      minY = Math.min(minY, it.y);
      maxX = Math.max(maxX, it.x + it.w);
      maxY = Math.max(maxY, it.y + it.h);
    }
    for (const id of ids) {
      const it = items.get(id)!;
      it.x -= minX;
      it.y -= minY;
    }
    for (const e of edges) {
      if (wrapped) {
        // dagre's routes no longer fit: draw straight bottom -> top lines.
        const a = items.get(e.from)!;
        const b = items.get(e.to)!;
        e.points = [
          { x: a.x + a.w / 2, y: a.y + a.h },
          { x: b.x + b.w / 2, y: b.y },
        ];
        continue;
      }
      const pts = (g.edge(e.from, e.to)?.points ?? []) as Array<{ x: number; y: number }>;
      e.points = pts.map((p) => ({ x: p.x - minX, y: p.y - minY }));
    }
    return { w: maxX - minX, h: maxY - minY };
  };

  const size = layBox(0);
  // Top-down: shift every box's content by the box's absolute content origin.
  const offsets = new Map<number, { x: number; y: number }>([[0, { x: 0, y: 0 }]]);
  const place = (s: number) => {
    const o = offsets.get(s)!;
    for (const id of children.get(s) ?? []) {
      const it = items.get(id)!;
      it.x += o.x;
      it.y += o.y;
      if (it.expanded) {
        offsets.set(it.scope, { x: it.x + BOX_PAD, y: it.y + BOX_HEADER });
        place(it.scope);
      }
    }
  };
  place(0);
  // Inner boxes may be narrower than their header: centre their content.
  for (const it of items.values()) {
    if (!it.expanded) continue;
    const inner = children.get(it.scope) ?? [];
    let maxX = -Infinity;
    for (const id of inner) maxX = Math.max(maxX, items.get(id)!.x + items.get(id)!.w);
    const slack = it.x + it.w - BOX_PAD - maxX;
    if (slack > 1) shiftContent(input, it.scope, slack / 2);
  }
  for (const e of input.edges) {
    const o = offsets.get(e.container)!;
    e.points = e.points.map((p) => ({ x: p.x + o.x, y: p.y + o.y }));
  }
  // Boxes moved after dagre routed (wrapped rows, centred content): no edge may cross a box.
  rerouteEdges(
    input.edges,
    (id) => items.get(id)!,
    children,
    (s) => {
      if (s === 0) return { x: -40, y: -40, w: size.w + 80, h: size.h + 80 };
      const b = items.get(scopeId(s))!;
      // Below the box's label, inside its outline.
      return { x: b.x + 3, y: b.y + 20, w: b.w - 6, h: b.h - 23 };
    },
  );
  return { ...input, width: size.w, height: size.h, auxAreas: auxAreas(input) };
}

/** Widest row dagre may produce before wrapRanks folds it into several rows. */
export const MAX_ROW_W = 2400;
/** An open series is a list of alike members: rows about as wide as a canvas beside the side
 *  panel at a readable zoom, so that a page of 50 reads down, not off the right edge. */
export const SERIES_ROW_W = 1000;

/**
 * dagre puts parallel siblings (100 blocks fed by one input) in one very wide
 * rank; fold such ranks into left-aligned rows of at most `maxW` so the box stays
 * readable when fitted. Returns true when anything moved.
 */
export function wrapWideRanks(its: Item[], maxW = MAX_ROW_W): boolean {
  if (its.length === 0) return false;
  const ranks = new Map<number, Item[]>();
  for (const it of its) {
    const key = Math.round(it.y + it.h / 2);
    let r = ranks.get(key);
    if (!r) ranks.set(key, (r = []));
    r.push(it);
  }
  const widths = [...ranks.values()].map(
    (r) => Math.max(...r.map((i) => i.x + i.w)) - Math.min(...r.map((i) => i.x)),
  );
  if (!widths.some((w) => w > maxW)) return false;
  const GAP_X = 18;
  const GAP_Y = 34;
  const rows: Item[][] = [];
  for (const key of [...ranks.keys()].sort((a, b) => a - b)) {
    // Wrapped rows read like a list: natural name order (block_2 < block_10).
    const r = ranks.get(key)!.sort(
      (a, b) =>
        // "+N more" closes the list.
        +(a.kind === "more") - +(b.kind === "more") ||
        a.label.localeCompare(b.label, "en", { numeric: true }),
    );
    let row: Item[] = [];
    let w = 0;
    for (const it of r) {
      if (row.length && w + it.w > maxW) {
        rows.push(row);
        row = [];
        w = 0;
      }
      row.push(it);
      w += it.w + GAP_X;
    }
    if (row.length) rows.push(row);
  }
  let y = 0;
  for (const row of rows) {
    let x = 0;
    const h = Math.max(...row.map((i) => i.h));
    for (const it of row) {
      it.x = x;
      it.y = y + (h - it.h) / 2;
      x += it.w + GAP_X;
    }
    y += h + GAP_Y;
  }
  return true;
}

/** Moves a box's content, nested boxes and the edges inside them included. */
function shiftContent(input: LayoutInput, s: number, dx: number): void {
  const boxes = new Set<number>();
  const stack = [s];
  while (stack.length) {
    const b = stack.pop()!;
    boxes.add(b);
    for (const id of input.children.get(b) ?? []) {
      const it = input.items.get(id)!;
      it.x += dx;
      if (it.expanded) stack.push(it.scope);
    }
  }
  for (const e of input.edges) {
    if (boxes.has(e.container)) e.points = e.points.map((p) => ({ x: p.x + dx, y: p.y }));
  }
}

/** Outline of each box's machinery column, a little larger than its items. */
function auxAreas(input: LayoutInput): AuxArea[] {
  const out: AuxArea[] = [];
  for (const [s, ids] of input.children) {
    const side = ids.map((id) => input.items.get(id)!).filter((it) => it.aux);
    if (side.length === 0) continue;
    const x0 = Math.min(...side.map((i) => i.x)) - 8;
    const y0 = Math.min(...side.map((i) => i.y)) - 8;
    const x1 = Math.max(...side.map((i) => i.x + i.w)) + 8;
    const y1 = Math.max(...side.map((i) => i.y + i.h)) + 8;
    out.push({ container: s, x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
  }
  return out;
}
