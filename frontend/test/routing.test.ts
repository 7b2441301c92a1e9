import assert from "node:assert/strict";
import { test } from "node:test";
import { layout } from "../src/layout";
import { buildModel } from "../src/model";
import {
  type Pt,
  type Rect,
  Router,
  firstHit,
  needsRoute,
  segmentHitsRect,
  simplify,
} from "../src/routing";
import { articleReuse, wide } from "./fixture";

const box = (x: number, y: number, w: number, h: number): Rect => ({ x, y, w, h });

test("a segment hits a box through its interior, not along or outside its outline", () => {
  const r = box(10, 10, 20, 20);
  assert.ok(segmentHitsRect({ x: 0, y: 20 }, { x: 40, y: 20 }, r));
  assert.ok(segmentHitsRect({ x: 0, y: 0 }, { x: 40, y: 40 }, r));
  assert.ok(segmentHitsRect({ x: 15, y: 15 }, { x: 16, y: 16 }, r)); // wholly inside
  assert.ok(!segmentHitsRect({ x: 0, y: 10 }, { x: 40, y: 10 }, r)); // on the top edge
  assert.ok(!segmentHitsRect({ x: 0, y: 0 }, { x: 40, y: 0 }, r));
  assert.ok(!segmentHitsRect({ x: 0, y: 65 }, { x: 65, y: 0 }, r)); // passes by the corner
});

test("simplify drops repeated and collinear points", () => {
  const pts: Pt[] = [
    { x: 0, y: 0 },
    { x: 0, y: 0 },
    { x: 0, y: 5 },
    { x: 0, y: 10 },
    { x: 5, y: 10 },
  ];
  assert.deepEqual(simplify(pts), [
    { x: 0, y: 0 },
    { x: 0, y: 10 },
    { x: 5, y: 10 },
  ]);
});

test("the router goes around a box in the way, from the source's outline to the target's", () => {
  // a above c, b right in between.
  const rects = [box(0, 0, 60, 26), box(-20, 60, 100, 40), box(0, 140, 60, 26)];
  const bounds = box(-100, -100, 300, 400);
  const straight = [
    { x: 30, y: 26 },
    { x: 30, y: 140 },
  ];
  assert.ok(needsRoute(straight, rects, 0, 2, bounds));
  const pts = new Router(rects, bounds).route(0, 2)!;
  assert.ok(pts, "a route exists");
  assert.equal(firstHit(pts, [rects[1]]), -1);
  assert.ok(!needsRoute(pts, rects, 0, 2, bounds));
  assert.deepEqual(pts[0], { x: 30, y: 26 }); // leaves by the bottom
  assert.deepEqual(pts[pts.length - 1], { x: 30, y: 140 }); // enters by the top
  for (let k = 0; k + 1 < pts.length; k++) {
    const a = pts[k];
    const b = pts[k + 1];
    assert.ok(a.x === b.x || a.y === b.y, "orthogonal");
  }
});

test("no route when the target is walled in", () => {
  const rects = [box(0, 0, 20, 20), box(100, 100, 20, 20)];
  // Bounds that leave no room around the target.
  assert.equal(new Router(rects, box(-10, -10, 40, 40)).route(0, 1), null);
});

function assertHonest(l: ReturnType<typeof layout>): void {
  for (const e of l.edges) {
    assert.ok(e.points.length >= 2, `${e.from} -> ${e.to} has a route`);
    const others = (l.children.get(e.container) ?? [])
      .filter((id) => id !== e.from && id !== e.to)
      .map((id) => l.items.get(id)!);
    const hit = firstHit(e.points, others);
    assert.equal(hit, -1, `${e.from} -> ${e.to} crosses ${others[hit]?.id}`);
  }
}

test("a wide box folded into rows: no edge crosses a box it does not connect", () => {
  const l = layout(buildModel(wide(150)), { expanded: new Set(["wide"]), showVarEdges: false });
  assertHonest(l);
});

test("edges inside a nested, centred box follow their boxes", () => {
  const l = layout(buildModel(articleReuse()), {
    expanded: new Set(["foo", "foo/bar", "dense"]),
    showVarEdges: false,
  });
  assertHonest(l);
  for (const e of l.edges) {
    const rects = [l.items.get(e.from)!, l.items.get(e.to)!];
    const bounds = box(-1e6, -1e6, 2e6, 2e6);
    assert.ok(!needsRoute(e.points, rects, 0, 1, bounds), `${e.from} -> ${e.to} ends on its boxes`);
  }
});

test("random nested graphs, some boxes open: no edge crosses a box beside it", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const scopes = ["a", "b", "c", "a/x", "a/y", "b/z", "d"];
  for (let trial = 0; trial < 40; trial++) {
    const r = wide(1);
    const n = 10 + Math.floor(rnd() * 50);
    const nodes: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = rnd() < 0.2 ? "" : scopes[Math.floor(rnd() * scopes.length)] + "/";
      nodes.push(`${s}op${i}`);
    }
    const edges: number[] = [];
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < 1 + Math.floor(rnd() * 2); j++) edges.push(Math.floor(rnd() * i), i);
    }
    r.graph = { ...r.graph, nodes, ops: nodes.map(() => 0), edges, roles: nodes.map(() => 0) };
    const expanded = new Set(scopes.filter(() => rnd() < 0.6));
    assertHonest(layout(buildModel(r), { expanded, showVarEdges: false }));
  }
});

test("a second route keeps off the stretch of an unrelated first one", () => {
  // Two sources above, two targets below, a wide box in between: both would go round its left.
  const rects = [box(0, 0, 40, 20), box(60, 0, 40, 20), box(-20, 60, 400, 40)];
  rects.push(box(0, 140, 40, 20), box(60, 140, 40, 20));
  const r = new Router(rects, box(-100, -100, 400, 400));
  const a = r.route(0, 3)!;
  const b = r.route(1, 4)!;
  const segs = (p: Pt[]) => p.slice(1).map((q, i) => [p[i], q]);
  const overlap = (s: Pt[], t: Pt[]) =>
    (s[0].x === s[1].x &&
      t[0].x === t[1].x &&
      s[0].x === t[0].x &&
      Math.min(Math.max(s[0].y, s[1].y), Math.max(t[0].y, t[1].y)) -
        Math.max(Math.min(s[0].y, s[1].y), Math.min(t[0].y, t[1].y)) >
        1) ||
    (s[0].y === s[1].y &&
      t[0].y === t[1].y &&
      s[0].y === t[0].y &&
      Math.min(Math.max(s[0].x, s[1].x), Math.max(t[0].x, t[1].x)) -
        Math.max(Math.min(s[0].x, s[1].x), Math.min(t[0].x, t[1].x)) >
        1);
  for (const s of segs(a))
    for (const t of segs(b)) assert.ok(!overlap(s, t), JSON.stringify([s, t]));
});
