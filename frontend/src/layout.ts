// Pure layout (no DOM): the visible level of the scope tree -> positioned
// items and edges. Only visible items are laid out, so a 100k-op graph
// collapsed to its top level costs a few hundred dagre nodes, not 100k.
//
// Two stages, both exported so they can be unit tested:
//  - buildLayoutInput: which items are visible in which box, and the data-flow
//    edges lifted to the nearest visible ancestors that are siblings;
//  - layout: dagre on every open box, bottom-up, then absolute positions.

import dagre from "@dagrejs/dagre";
import {
  type Model,
  edgeCount,
  nodeReuses,
  nodeType,
  reuseBadge,
  reuseLines,
  scopeReuses,
  seriesLine,
  seriesSummary,
} from "./model";
import { type AuxSets, placeColumn } from "./aux";
import { rerouteEdges } from "./routing";

export const DEFAULT_CAP = 300;
/** Members of an open series drawn at a time; its "+N more" shows the next page. */
export const SERIES_PAGE = 50;

/** Most children drawn in box s: the cap, or the pages of a series shown so far. */
export function boxCap(m: Model, s: number, view: Pick<ViewInput, "cap" | "pages">): number {
  const sc = m.scopes[s];
  if (!sc.series) return view.cap ?? DEFAULT_CAP;
  return SERIES_PAGE * Math.max(1, view.pages?.get(sc.path) ?? 1);
}

export interface ViewInput {
  /** Paths of the expanded scopes (the root is always open). */
  expanded: Set<string>;
  showVarEdges: boolean;
  /** Most children laid out in one box; the rest fold into a "+N more" item. */
  cap?: number;
  /**
   * Items that must stay visible even in a box over the cap (the selection,
   * a search result, a finding's variables): scope indexes (with their
   * ancestors) and node indexes.
   */
  pinScopes?: Set<number>;
  pinNodes?: Set<number>;
  /** Training machinery to set in a column at the side of each box (aux.ts); none when absent. */
  aux?: AuxSets;
  /** Series path -> pages of its members shown (1 when absent). */
  pages?: Map<string, number>;
}

export type ItemKind = "op" | "var" | "scope" | "more";

export interface Item {
  id: string;
  kind: ItemKind;
  label: string;
  /** Scope index of the open box this item sits in. */
  container: number;
  /** For scope items: the scope index. */
  scope: number;
  /** For op/var items: the node index. */
  node: number;
  /** For "more" items: how many children were left out. */
  hidden: number;
  badge: string | null;
  /** Every reused variable, one "reuses X from S" line each (badge tooltip). */
  reuses: string[];
  /** Expanded scope drawn as a box with its children inside. */
  expanded: boolean;
  /** Training machinery, drawn in its box's side column with its edges cut. */
  aux: boolean;
  /** For aux items: how many graph edges link it to the model items of its box. */
  links: number;
  /** A second line the box must fit (a series' "1,000 members · 1,000 reuse"), or "". */
  note: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Edge {
  container: number;
  from: string;
  to: string;
  /** How many graph edges this drawn edge stands for. */
  count: number;
  kind: "data" | "read";
  points: Array<{ x: number; y: number }>;
}

export interface LayoutInput {
  items: Map<string, Item>;
  /** Open scope index -> ids of the items laid out directly inside it. */
  children: Map<number, string[]>;
  edges: Edge[];
  /** Boxes that hit the cap: scope index, shown and hidden child counts. */
  truncated: Array<{ scope: number; shown: number; hidden: number }>;
  /** Visible item id standing for a graph node. */
  itemOfNode: (node: number) => string;
}

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

export const scopeId = (s: number) => `s:${s}`;
export const nodeId = (n: number) => `n:${n}`;
export const moreId = (s: number) => `m:${s}`;

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

/**
 * Where an edge between two visible items is drawn: the pair of siblings under the lowest
 * open box that holds both ends, with that box; null when both ends are one item.
 */
export function liftItems(
  m: Model,
  items: Map<string, Item>,
  a: string,
  b: string,
): [number, string, string] | null {
  if (a === b) return null;
  const ia = items.get(a);
  const ib = items.get(b);
  if (!ia || !ib) return null;
  const { scopes } = m;
  let ca = ia.container;
  let cb = ib.container;
  let xa = a;
  let xb = b;
  while (scopes[ca].depth > scopes[cb].depth) {
    xa = scopeId(ca);
    ca = scopes[ca].parent;
  }
  while (scopes[cb].depth > scopes[ca].depth) {
    xb = scopeId(cb);
    cb = scopes[cb].parent;
  }
  while (ca !== cb) {
    xa = scopeId(ca);
    ca = scopes[ca].parent;
    xb = scopeId(cb);
    cb = scopes[cb].parent;
  }
  return xa === xb ? null : [ca, xa, xb];
}

export function buildLayoutInput(m: Model, view: ViewInput): LayoutInput {
  const { scopes } = m;
  const items = new Map<string, Item>();
  const children = new Map<number, string[]>();
  const truncated: LayoutInput["truncated"] = [];
  // Per scope: null when the scope is open (its children are laid out), else
  // the id of the visible item that stands for everything inside it.
  const rep: Array<string | null> = new Array(scopes.length).fill(null);
  // Ops folded into a "+N more" item of their (open) scope.
  const opMore = new Map<number, string>();

  const mk = (p: Partial<Item> & Pick<Item, "id" | "kind" | "label" | "container">): Item => {
    const it: Item = {
      scope: -1,
      node: -1,
      hidden: 0,
      badge: null,
      reuses: [],
      expanded: false,
      aux: false,
      links: 0,
      note: "",
      x: 0,
      y: 0,
      w: 0,
      h: 0,
      ...p,
    };
    items.set(it.id, it);
    return it;
  };

  const forceRep = (s: number, r: string) => {
    // Iterative: scope trees can be deep.
    const stack = [s];
    while (stack.length) {
      const x = stack.pop()!;
      rep[x] = r;
      for (const c of scopes[x].children) stack.push(c);
    }
  };

  // Machinery inside a machinery box is laid out as usual: it is that box's content.
  const auxIn = (s: number) => !!view.aux && !view.aux.scopes[s];
  const open = (s: number) => {
    const sc = scopes[s];
    const sideAux = auxIn(s);
    const ids: string[] = [];
    children.set(s, ids);
    // Scopes without ops exist only as call-site/owner names (e.g. a Keras
    // layer's "call_0"): nothing to draw, so they take no room.
    const subs = sc.children.filter((c) => scopes[c].totalOps > 0);
    const total = subs.length + sc.ops.length;
    const cap = boxCap(m, s, view);
    const more = total > cap ? moreId(s) : null;
    // Over the cap, pinned entries are always shown and the rest fill the
    // remaining room in order.
    const pinS = view.pinScopes;
    const pinN = view.pinNodes;
    let budget = cap;
    if (more) {
      for (const c of subs) if (pinS?.has(c)) budget--;
      for (const n of sc.ops) if (pinN?.has(n)) budget--;
    }
    let used = 0;
    const hide = (pinned: boolean) => !pinned && used++ >= budget;
    for (const c of subs) {
      if (hide(!!pinS?.has(c))) {
        forceRep(c, more!);
        continue;
      }
      const cs = scopes[c];
      // A series is open when asked, or when one of its members is (a link to `layer_2`
      // still shows `layer_2` after `layer_[0-3]` folded it).
      const asked =
        view.expanded.has(cs.path) ||
        (cs.series !== null && cs.children.some((k) => view.expanded.has(scopes[k].path)));
      // A stub is never drawn open: its contents come first (app.ts opens it on the server).
      const isOpen = asked && !cs.stub && cs.children.length + cs.ops.length > 0;
      const reused = scopeReuses(m, c);
      const badge = reuseBadge(m, reused);
      const it = mk({
        id: scopeId(c),
        kind: "scope",
        label: cs.name,
        container: s,
        scope: c,
        badge,
        reuses: reuseLines(m, reused),
        expanded: isOpen,
        aux: sideAux && !!view.aux!.scopes[c],
        note: cs.series ? seriesLine(seriesSummary(m, c)!) : "",
      });
      ids.push(it.id);
      if (isOpen) open(c);
      else forceRep(c, it.id);
    }
    for (const n of sc.ops) {
      if (hide(!!pinN?.has(n))) {
        opMore.set(n, more!);
        continue;
      }
      const it = mk({
        id: nodeId(n),
        kind: m.nodeVar[n] >= 0 ? "var" : "op",
        label: opLabel(m, n),
        container: s,
        node: n,
        badge: reuseBadge(m, nodeReuses(m, n)),
        reuses: reuseLines(m, nodeReuses(m, n)),
        aux: sideAux && !!view.aux!.nodes[n],
      });
      ids.push(it.id);
    }
    if (more) {
      const shown = ids.length;
      const hidden = total - shown;
      mk({ id: more, kind: "more", label: `+${hidden} more`, container: s, scope: s, hidden });
      ids.push(more);
      truncated.push({ scope: s, shown, hidden });
    }
  };
  open(0);

  const itemOfNode = (n: number): string => rep[m.nodeScope[n]] ?? opMore.get(n) ?? nodeId(n);

  // Lift an edge between two visible items to the pair of siblings under the
  // lowest open box that contains both.
  const lift = (a: string, b: string) => liftItems(m, items, a, b);

  const edgeMap = new Map<string, Edge>();
  const addEdge = (src: number, dst: number, kind: Edge["kind"], count = 1) => {
    const lifted = lift(itemOfNode(src), itemOfNode(dst));
    if (!lifted) return;
    const [container, from, to] = lifted;
    const ia = items.get(from)!;
    const ib = items.get(to)!;
    if (ia.aux || ib.aux) {
      // Cut, as the Graphs dashboard cuts its auxiliary nodes' edges: only counted.
      if (!ia.aux) ib.links += count;
      else if (!ib.aux) ia.links += count;
      return;
    }
    const key = `${kind}|${from}|${to}`;
    const e = edgeMap.get(key);
    if (e) e.count += count;
    else edgeMap.set(key, { container, from, to, count, kind, points: [] });
  };
  const ge = m.edges;
  const n = m.nodeNames.length;
  for (let k = 0; k + 1 < ge.length; k += 2) {
    if (ge[k] < n && ge[k + 1] < n) addEdge(ge[k], ge[k + 1], "data", edgeCount(m, k / 2));
  }
  if (view.showVarEdges) {
    for (const [node, reads] of m.nodeReads) {
      for (const [v] of reads) {
        const vn = m.variables[v]?.node ?? -1;
        if (vn >= 0 && vn < n && node < n) addEdge(vn, node, "read");
      }
    }
  }
  return { items, children, edges: [...edgeMap.values()], truncated, itemOfNode };
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

/**
 * A node's box label: the last part of its name, or its op type when that part is only a
 * number (PyTorch's tracer names nodes `Module/Linear[fc1]/69`: `aten::linear` says more).
 */
export function opLabel(m: Model, n: number): string {
  const name = m.nodeNames[n];
  const last = name.slice(name.lastIndexOf("/") + 1);
  if (!/^\d+$/.test(last)) return last;
  return nodeType(m, n) || last;
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
    const wrapped = wrapWideRanks(main);
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

/**
 * dagre puts parallel siblings (100 blocks fed by one input) in one very wide
 * rank; fold such ranks into rows of at most MAX_ROW_W so the box stays
 * readable when fitted. Returns true when anything moved.
 */
export function wrapWideRanks(its: Item[]): boolean {
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
  if (!widths.some((w) => w > MAX_ROW_W)) return false;
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
      if (row.length && w + it.w > MAX_ROW_W) {
        rows.push(row);
        row = [];
        w = 0;
      }
      row.push(it);
      w += it.w + GAP_X;
    }
    if (row.length) rows.push(row);
  }
  const rowW = (row: Item[]) => row.reduce((a, i) => a + i.w, 0) + GAP_X * (row.length - 1);
  const full = Math.max(...rows.map(rowW));
  let y = 0;
  for (const row of rows) {
    let x = (full - rowW(row)) / 2;
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
