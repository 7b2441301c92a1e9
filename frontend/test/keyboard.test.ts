import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Rect,
  anchor,
  ariaLabels,
  firstInReadingOrder,
  nearest,
  panToShow,
} from "../src/keyboard";
import { layout } from "../src/layout";
import { nodeId, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { articleReuse } from "./fixture";

const r = (id: string, x: number, y: number, w = 40, h = 20): Rect => ({ id, x, y, w, h });

// A 2 x 2 grid, and one item far right on the top row.
const grid = [r("a", 0, 0), r("b", 100, 0), r("c", 0, 100), r("d", 100, 100), r("far", 400, 0)];

test("arrows move to the nearest item that way, and nowhere past the edge", () => {
  assert.equal(nearest(grid[0], grid, "right"), "b");
  assert.equal(nearest(grid[0], grid, "down"), "c");
  assert.equal(nearest(grid[3], grid, "up"), "b");
  assert.equal(nearest(grid[3], grid, "left"), "c");
  assert.equal(nearest(grid[0], grid, "left"), null);
  assert.equal(nearest(grid[0], grid, "up"), null);
  assert.equal(nearest(grid[1], grid, "right"), "far");
});

test("an item on the same row beats a nearer one off to the side", () => {
  const from = r("from", 0, 0);
  const aside = r("aside", 60, 80); // nearer along x, but two rows down
  const row = r("row", 150, 5);
  assert.equal(nearest(from, [from, aside, row], "right"), "row");
});

test("an open box is reached by its header: down into its children, up out of them", () => {
  const box = anchor({
    id: "box",
    kind: "scope",
    label: "dense",
    container: 0,
    scope: 1,
    node: -1,
    hidden: 0,
    aux: false,
    links: 0,
    note: "",
    badge: null,
    reuses: [],
    expanded: true,
    x: 0,
    y: 0,
    w: 300,
    h: 200,
  });
  assert.equal(box.h, 30);
  const child = r("child", 20, 60);
  const below = r("below", 20, 260);
  assert.equal(nearest(box, [box, child, below], "down"), "child");
  assert.equal(nearest(child, [box, child, below], "up"), "box");
});

test("the first item in reading order is the top-left one", () => {
  assert.equal(firstInReadingOrder([grid[3], grid[1], grid[0]]), "a");
  assert.equal(firstInReadingOrder([]), null);
});

test("panning keeps an item in view, and leaves it alone when it is", () => {
  const view = { w: 400, h: 300 };
  assert.deepEqual(panToShow(r("in", 100, 100), view, 1, 0, 0), { tx: 0, ty: 0 });
  // Off to the right: its right edge lands margin pixels inside the view.
  assert.deepEqual(panToShow(r("right", 600, 100), view, 1, 0, 0), { tx: 400 - 24 - 640, ty: 0 });
  // Above, at zoom 2: its top edge lands margin pixels inside.
  assert.deepEqual(panToShow(r("up", 100, -50), view, 2, 0, 0), { tx: 0, ty: 24 + 100 });
  // Larger than the view: its top-left corner shows.
  assert.deepEqual(panToShow(r("big", 50, 50, 1000, 1000), view, 1, 0, 0), { tx: -26, ty: -26 });
});

test("every drawn item has an accessible name that says what it is", () => {
  const m = buildModel(articleReuse());
  const names = ariaLabels(m, layout(m, { expanded: new Set(["dense"]), showVarEdges: false }));
  const dense1 = names.get(scopeId(m.scopeByPath.get("dense_1")!))!;
  assert.equal(dense1, "scope dense_1, 1 op, collapsed, reuses dense/weights from dense");
  assert.equal(names.get(scopeId(m.scopeByPath.get("dense")!)), "scope dense, 2 ops, expanded");
  assert.equal(names.get(nodeId(1)), "op dense/MatMul (MatMul)");
  assert.equal(names.get(nodeId(0)), "variable dense/weights, shared");
});
