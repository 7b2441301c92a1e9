// Which items of the scope tree are visible, in which open box, and the data-flow edges
// lifted to the nearest visible ancestors that are siblings (no DOM, no positions: layout.ts
// sizes and places them). Only the visible level is built, so a 100k-op graph collapsed to
// its top level costs a few hundred items, not 100k.

import {
  type Model,
  edgeCount,
  nodeReuses,
  nodeType,
  scopeReuses,
  seriesLine,
  seriesSummary,
} from "./model";
import { reuseBadge, reuseLines } from "./badges";
import type { AuxSets } from "./aux";

/** Children drawn in one box before "+N more": a stock Keras model's flat top level whole
 *  (keras.applications' NASNetMobile has 771 layers, laid out and drawn in 1.5 s; InceptionV3's
 *  313 lost its head to a cap of 300), and 1,000 alike ops in one box in 0.3 s (2026-12-02). */
export const DEFAULT_CAP = 1000;
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

export const scopeId = (s: number) => `s:${s}`;
export const nodeId = (n: number) => `n:${n}`;
export const moreId = (s: number) => `m:${s}`;

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
