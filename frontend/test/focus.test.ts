import assert from "node:assert/strict";
import { test } from "node:test";
import {
  READABLE_K,
  borderArrow,
  bounds,
  fitView,
  focusView,
  onScreen,
  openedZoom,
  startView,
  toScreen,
} from "../src/focus";

const box = (x: number, y: number, w = 60, h = 26) => ({ x, y, w, h });

test("bounds take edge points into account", () => {
  const b = bounds([box(0, 0)], [{ x: -50, y: 100 }])!;
  assert.deepEqual(b, { x: -50, y: 0, w: 110, h: 100 });
  assert.equal(bounds([]), null);
});

test("fit puts the whole box in the canvas", () => {
  const v = fitView(box(0, 0, 2000, 1000), 1000, 600);
  const s = toScreen(box(0, 0, 2000, 1000), v);
  assert.ok(s.x >= 0 && s.y >= 0 && s.x + s.w <= 1000 && s.y + s.h <= 600);
});

test("focus shows the call sites when they fit at a readable zoom", () => {
  const v = focusView(box(0, 0), [box(300, 200)], 1000, 600);
  assert.ok(v.k >= READABLE_K);
  assert.ok(onScreen(box(0, 0), v, 1000, 600) && onScreen(box(300, 200), v, 1000, 600));
});

test("focus never zooms out below readable: the creator is centred, a far call site is not shown", () => {
  const v = focusView(box(0, 0), [box(5000, 4000)], 1000, 600);
  assert.equal(v.k, READABLE_K);
  const s = toScreen(box(0, 0), v);
  assert.ok(Math.abs(s.x + s.w / 2 - 500) < 1e-6 && Math.abs(s.y + s.h / 2 - 300) < 1e-6);
  assert.ok(!onScreen(box(5000, 4000), v, 1000, 600));
});

test("the border arrow sits on the inset border, pointing at the box", () => {
  const v = { k: 1, tx: 0, ty: 0 };
  const right = borderArrow(box(3000, 287), v, 1000, 600);
  assert.ok(Math.abs(right.x - 982) < 1e-6 && Math.abs(right.y - 300) < 2);
  assert.ok(Math.abs(right.angle) < 0.01);
  const below = borderArrow(box(470, 5000), v, 1000, 600);
  assert.ok(Math.abs(below.y - 582) < 1e-6 && Math.abs(below.angle - Math.PI / 2) < 0.01);
});

test("a graph too tall to read whole opens at its top, readable; one that fits opens whole", () => {
  const tall = { x: 0, y: 0, w: 200, h: 20000 };
  const v = startView(tall, 1000, 700);
  assert.equal(v.k, READABLE_K);
  assert.equal(v.ty, 40); // the top row sits under the canvas' top margin
  assert.ok(Math.abs(v.tx + 100 * v.k - 500) < 1e-9); // centred across
  const small = { x: 0, y: 0, w: 400, h: 300 };
  assert.deepEqual(startView(small, 1000, 700), fitView(small, 1000, 700));
  const wide = { x: 0, y: 0, w: 30000, h: 300 };
  assert.equal(startView(wide, 1000, 700).tx, 40); // from its left edge
  // Its flow begins in the middle (an input above cells that branch wide): centred on that.
  const entry = { x: 14000, y: 0, w: 100, h: 26 };
  const v2 = startView({ ...wide, h: 20000 }, 1000, 700, 40, entry);
  assert.ok(Math.abs(v2.tx + 14050 * v2.k - 500) < 1e-9);
  // A top row wider than the canvas: from that row's left edge.
  const row = { x: 9000, y: 0, w: 5000, h: 26 };
  assert.ok(
    Math.abs(startView({ ...wide, h: 20000 }, 1000, 700, 40, row).tx - (40 - 9000 * READABLE_K)) <
      1e-9,
  );
});

test("a box just opened is zoomed out to fit across, never below a readable zoom", () => {
  // Fits at the current zoom: unchanged.
  assert.equal(openedZoom(500, 1, 1000), 1);
  // Too wide at 1.4, fits at 1: zoomed out to fit.
  assert.ok(Math.abs(openedZoom(952, 1.4, 1000) - 1) < 1e-9);
  // Too wide even at a readable zoom: zoomed out to that zoom only.
  assert.equal(openedZoom(3000, 1.4, 1000), READABLE_K);
  // The user was already further out: left there.
  assert.equal(openedZoom(3000, 0.5, 1000), 0.5);
});
