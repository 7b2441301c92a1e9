// Pure edge routing (no DOM): an edge may touch its own two boxes and the boxes
// that contain them, never another box. dagre's polylines respect that for the
// graph it laid out, but the layout moves boxes afterwards (wide ranks folded
// into rows, inner boxes centred) and a segment between two ranks can still cut
// a taller neighbour; so every edge is checked against the boxes beside it and
// the ones that hit something are routed again, orthogonally, around them.
//
// In: the rectangles of one open box's children (absolute coordinates), the
// box's inner bounds, and the polylines of the edges between those children.
// Out: polylines that cross none of the other children.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Pt {
  x: number;
  y: number;
}

/** True when segment a-b passes through the interior of r shrunk by `eps` (Liang-Barsky clip). */
export function segmentHitsRect(a: Pt, b: Pt, r: Rect, eps = 0.5): boolean {
  const x0 = r.x + eps;
  const y0 = r.y + eps;
  const x1 = r.x + r.w - eps;
  const y1 = r.y + r.h - eps;
  if (x1 <= x0 || y1 <= y0) return false;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  const clip = (p: number, q: number): boolean => {
    if (p === 0) return q > 0;
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
    return true;
  };
  return (
    clip(-dx, a.x - x0) &&
    clip(dx, x1 - a.x) &&
    clip(-dy, a.y - y0) &&
    clip(dy, y1 - a.y) &&
    t1 - t0 > 1e-9
  );
}

/** Index of the first obstacle any segment of the polyline hits, or -1. */
export function firstHit(points: Pt[], obstacles: Rect[]): number {
  for (let k = 0; k + 1 < points.length; k++) {
    for (let i = 0; i < obstacles.length; i++) {
      if (segmentHitsRect(points[k], points[k + 1], obstacles[i])) return i;
    }
  }
  return -1;
}

/** Distance from a point to a rectangle's outline (0 on it). */
function distToOutline(p: Pt, r: Rect): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.w));
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.h));
  if (dx > 0 || dy > 0) return Math.hypot(dx, dy);
  return Math.min(p.x - r.x, r.x + r.w - p.x, p.y - r.y, r.y + r.h - p.y);
}

const inside = (p: Pt, b: Rect) =>
  p.x >= b.x - 0.5 && p.x <= b.x + b.w + 0.5 && p.y >= b.y - 0.5 && p.y <= b.y + b.h + 0.5;

/**
 * Whether an edge's polyline is honest: it starts on `from`'s outline, ends on `to`'s,
 * stays inside `bounds` and crosses none of the other rectangles.
 */
export function needsRoute(
  points: Pt[],
  rects: Rect[],
  from: number,
  to: number,
  bounds: Rect,
): boolean {
  if (points.length < 2) return true;
  if (distToOutline(points[0], rects[from]) > 1.5) return true;
  if (distToOutline(points[points.length - 1], rects[to]) > 1.5) return true;
  if (!points.every((p) => inside(p, bounds))) return true;
  for (let k = 0; k + 1 < points.length; k++) {
    for (let i = 0; i < rects.length; i++) {
      if (i !== from && i !== to && segmentHitsRect(points[k], points[k + 1], rects[i])) {
        return true;
      }
    }
  }
  return false;
}

/** Clearance kept between a routed edge and any box. */
export const MARGIN = 7;
// Extra cost of a turn, so that routes prefer few long segments.
const BEND = 24;
// Running along a stretch another edge already uses, when the two share no end,
// would make them read as one wire: it costs this much more per link, and thrice its length.
const OVERLAP = 20;
// Leaving a box by its side or top (entering by a side or bottom) costs more than
// the usual bottom -> top direction of a top-to-bottom layout.
const PORT_COST = [0, 60, 60, 120];

/**
 * Orthogonal router over one open box: a sparse grid made of every child's
 * inflated outline and port lines, built once and shared by all the edges of
 * that box; A* with a bend penalty finds each route.
 */
export class Router {
  private xs: number[];
  private ys: number[];
  private ny: number;
  private blocked: Uint8Array; // grid point strictly inside an inflated box
  private hBlocked: Uint8Array; // link (i, j) -> (i + 1, j)
  private vBlocked: Uint8Array; // link (i, j) -> (i, j + 1)
  // A* scratch, per state (grid index * 2 + axis), reset after each route.
  private gCost: Float64Array;
  private parent: Int32Array;
  // Per link: the (index + 1) of the source and target of the last route over it, 0 if none.
  private hSrc: Int32Array;
  private hDst: Int32Array;
  private vSrc: Int32Array;
  private vDst: Int32Array;

  constructor(
    private rects: Rect[],
    bounds: Rect,
    private m = MARGIN,
  ) {
    const bx0 = bounds.x;
    const bx1 = bounds.x + bounds.w;
    const by0 = bounds.y;
    const by1 = bounds.y + bounds.h;
    const xs = new Set<number>([bx0, bx1]);
    const ys = new Set<number>([by0, by1]);
    for (const r of rects) {
      xs.add(r.x - m)
        .add(r.x + r.w + m)
        .add(r.x + r.w / 2);
      ys.add(r.y - m)
        .add(r.y + r.h + m)
        .add(r.y + r.h / 2);
    }
    this.xs = [...xs].filter((x) => x >= bx0 && x <= bx1).sort((a, b) => a - b);
    this.ys = [...ys].filter((y) => y >= by0 && y <= by1).sort((a, b) => a - b);
    const nx = this.xs.length;
    const ny = (this.ny = this.ys.length);
    this.blocked = new Uint8Array(nx * ny);
    this.hBlocked = new Uint8Array(nx * ny);
    this.vBlocked = new Uint8Array(nx * ny);
    this.gCost = new Float64Array(nx * ny * 2).fill(Infinity);
    this.parent = new Int32Array(nx * ny * 2).fill(-1);
    this.hSrc = new Int32Array(nx * ny);
    this.hDst = new Int32Array(nx * ny);
    this.vSrc = new Int32Array(nx * ny);
    this.vDst = new Int32Array(nx * ny);
    for (const r of rects) {
      // Grid indexes of the inflated outline; values strictly between are inside.
      const i0 = lowerBound(this.xs, r.x - m);
      const i1 = upperBound(this.xs, r.x + r.w + m) - 1;
      const j0 = lowerBound(this.ys, r.y - m);
      const j1 = upperBound(this.ys, r.y + r.h + m) - 1;
      for (let i = i0; i <= i1 && i < nx; i++) {
        const xIn = this.xs[i] > r.x - m && this.xs[i] < r.x + r.w + m;
        // Link i -> i+1 lies inside when its midpoint does.
        const hIn =
          i + 1 < nx &&
          (this.xs[i] + this.xs[i + 1]) / 2 > r.x - m &&
          (this.xs[i] + this.xs[i + 1]) / 2 < r.x + r.w + m;
        for (let j = j0; j <= j1 && j < ny; j++) {
          const yIn = this.ys[j] > r.y - m && this.ys[j] < r.y + r.h + m;
          const vIn =
            j + 1 < ny &&
            (this.ys[j] + this.ys[j + 1]) / 2 > r.y - m &&
            (this.ys[j] + this.ys[j + 1]) / 2 < r.y + r.h + m;
          const k = i * ny + j;
          if (xIn && yIn) this.blocked[k] = 1;
          if (hIn && yIn) this.hBlocked[k] = 1;
          if (xIn && vIn) this.vBlocked[k] = 1;
        }
      }
    }
  }

  /** Ports of a box: [outline point, grid point just outside], bottom, right, left, top. */
  private ports(r: Rect): Array<[Pt, Pt]> {
    const m = this.m;
    const cx = r.x + r.w / 2;
    const cy = r.y + r.h / 2;
    return [
      [
        { x: cx, y: r.y + r.h },
        { x: cx, y: r.y + r.h + m },
      ],
      [
        { x: r.x + r.w, y: cy },
        { x: r.x + r.w + m, y: cy },
      ],
      [
        { x: r.x, y: cy },
        { x: r.x - m, y: cy },
      ],
      [
        { x: cx, y: r.y },
        { x: cx, y: r.y - m },
      ],
    ];
  }

  private index(p: Pt): number {
    const i = lowerBound(this.xs, p.x);
    const j = lowerBound(this.ys, p.y);
    if (i >= this.xs.length || j >= this.ys.length) return -1;
    if (Math.abs(this.xs[i] - p.x) > 1e-6 || Math.abs(this.ys[j] - p.y) > 1e-6) return -1;
    const k = i * this.ny + j;
    return this.blocked[k] ? -1 : k;
  }

  /** A route from child `from` to child `to` around every other child, or null. */
  route(from: number, to: number): Pt[] | null {
    const ny = this.ny;
    const nx = this.xs.length;
    const src = this.ports(this.rects[from]);
    // Entering: top first, then the sides, the bottom last.
    const dstRaw = this.ports(this.rects[to]);
    const dst = [dstRaw[3], dstRaw[1], dstRaw[2], dstRaw[0]];
    const goal = new Map<number, number>(); // grid index -> destination port
    dst.forEach(([, p], d) => {
      const k = this.index(p);
      if (k >= 0 && !goal.has(k)) goal.set(k, d);
    });
    if (goal.size === 0) return null;
    const goals = [...goal.keys()].map((k) => [this.xs[Math.floor(k / ny)], this.ys[k % ny]]);
    const hOf = (k: number) => {
      const x = this.xs[Math.floor(k / ny)];
      const y = this.ys[k % ny];
      let best = Infinity;
      for (const [gx, gy] of goals) best = Math.min(best, Math.abs(gx - x) + Math.abs(gy - y));
      return best;
    };
    // State = grid index * 2 + axis of the move that reached it (0 horizontal, 1 vertical).
    const { gCost, parent } = this;
    const touched: number[] = [];
    const heap = new Heap();
    const startPort = new Map<number, number>();
    src.forEach(([, p], d) => {
      const k = this.index(p);
      if (k < 0) return;
      // A bottom port leaves vertically, a side port horizontally.
      const axis = d === 1 || d === 2 ? 0 : 1;
      const s = k * 2 + axis;
      if (PORT_COST[d] < gCost[s]) {
        gCost[s] = PORT_COST[d];
        touched.push(s);
        startPort.set(s, d);
        heap.push(s, PORT_COST[d] + hOf(k));
      }
    });
    let best = -1;
    let bestCost = Infinity;
    while (heap.size) {
      const [s, f] = heap.pop();
      if (f >= bestCost) break;
      const g = gCost[s];
      if (f - hOf(s >> 1) > g + 1e-9) continue; // stale entry
      const k = s >> 1;
      const axis = s & 1;
      const d = goal.get(k);
      if (d !== undefined) {
        // Arriving at a top port must come down (vertical), at a side port horizontally.
        const wantAxis = d === 1 || d === 2 ? 0 : 1;
        const total = g + PORT_COST[d] + (axis === wantAxis ? 0 : BEND);
        if (total < bestCost) {
          bestCost = total;
          best = s;
        }
      }
      const i = Math.floor(k / ny);
      const j = k % ny;
      const step = (nk: number, nAxis: number, len: number) => {
        if (this.blocked[nk]) return;
        const ns = nk * 2 + nAxis;
        const link = Math.min(k, nk);
        const os = nAxis === 0 ? this.hSrc[link] : this.vSrc[link];
        const od = nAxis === 0 ? this.hDst[link] : this.vDst[link];
        const shared = os !== 0 && os !== from + 1 && od !== to + 1;
        const ng = g + len + (nAxis === axis ? 0 : BEND) + (shared ? OVERLAP + 3 * len : 0);
        if (ng < gCost[ns] - 1e-9) {
          gCost[ns] = ng;
          parent[ns] = s;
          touched.push(ns);
          heap.push(ns, ng + hOf(nk));
        }
      };
      if (i + 1 < nx && !this.hBlocked[k]) step(k + ny, 0, this.xs[i + 1] - this.xs[i]);
      if (i > 0 && !this.hBlocked[k - ny]) step(k - ny, 0, this.xs[i] - this.xs[i - 1]);
      if (j + 1 < ny && !this.vBlocked[k]) step(k + 1, 1, this.ys[j + 1] - this.ys[j]);
      if (j > 0 && !this.vBlocked[k - 1]) step(k - 1, 1, this.ys[j] - this.ys[j - 1]);
    }
    const reset = () => {
      for (const t of touched) {
        gCost[t] = Infinity;
        parent[t] = -1;
      }
    };
    if (best < 0) {
      reset();
      return null;
    }
    const grid: Pt[] = [];
    let s = best;
    for (; s >= 0; s = parent[s]) {
      const k = s >> 1;
      grid.push({ x: this.xs[Math.floor(k / ny)], y: this.ys[k % ny] });
      if (parent[s] < 0) break;
      // Claim the link for the routes that come after.
      const pk = parent[s] >> 1;
      const link = Math.min(k, pk);
      if (Math.abs(k - pk) === ny) {
        this.hSrc[link] = from + 1;
        this.hDst[link] = to + 1;
      } else {
        this.vSrc[link] = from + 1;
        this.vDst[link] = to + 1;
      }
    }
    grid.reverse();
    const out = [src[startPort.get(s)!][0], ...grid, dst[goal.get(best >> 1)!][0]];
    reset();
    return simplify(out);
  }
}

/** Drops repeated points and the middle of three collinear ones. */
export function simplify(pts: Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of pts) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 1e-6 && Math.abs(last.y - p.y) < 1e-6) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2];
      const b = last;
      const cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
      const sameWay = (b.x - a.x) * (p.x - b.x) + (b.y - a.y) * (p.y - b.y) >= 0;
      if (Math.abs(cross) < 1e-6 && sameWay) out.pop();
    }
    out.push(p);
  }
  return out;
}

function lowerBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v - 1e-9) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: number[], v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= v + 1e-9) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Binary min-heap of (state, priority). */
class Heap {
  private s: number[] = [];
  private p: number[] = [];
  get size(): number {
    return this.s.length;
  }
  push(state: number, pri: number): void {
    const { s, p } = this;
    let i = s.length;
    s.push(state);
    p.push(pri);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (p[up] <= pri) break;
      s[i] = s[up];
      p[i] = p[up];
      i = up;
    }
    s[i] = state;
    p[i] = pri;
  }
  pop(): [number, number] {
    const { s, p } = this;
    const top: [number, number] = [s[0], p[0]];
    const ls = s.pop()!;
    const lp = p.pop()!;
    const n = s.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && p[c + 1] < p[c]) c++;
        if (p[c] >= lp) break;
        s[i] = s[c];
        p[i] = p[c];
        i = c;
      }
      s[i] = ls;
      p[i] = lp;
    }
    return top;
  }
}

/** An edge between two children of one open box, as the layout holds it. */
export interface RoutableEdge {
  container: number;
  from: string;
  to: string;
  points: Pt[];
}

/**
 * Routes again every edge whose polyline is not honest (see needsRoute); the
 * others keep dagre's shape. `children` lists each open box's children,
 * `boundsOf` the area of a box its edges may use. Returns how many were rerouted.
 */
export function rerouteEdges(
  edges: RoutableEdge[],
  rectOf: (id: string) => Rect,
  children: Map<number, string[]>,
  boundsOf: (container: number) => Rect,
): number {
  const perBox = new Map<number, { rects: Rect[]; index: Map<string, number>; router?: Router }>();
  let n = 0;
  for (const e of edges) {
    let box = perBox.get(e.container);
    if (!box) {
      const ids = children.get(e.container) ?? [];
      box = { rects: ids.map(rectOf), index: new Map(ids.map((id, i) => [id, i])) };
      perBox.set(e.container, box);
    }
    const from = box.index.get(e.from);
    const to = box.index.get(e.to);
    if (from === undefined || to === undefined) continue;
    const bounds = boundsOf(e.container);
    if (!needsRoute(e.points, box.rects, from, to, bounds)) continue;
    box.router ??= new Router(box.rects, bounds);
    const pts = box.router.route(from, to);
    if (pts) {
      e.points = pts;
      n++;
    }
  }
  return n;
}
