import assert from "node:assert/strict";
import { test } from "node:test";
import { edgeKey, edgeLabels, midpoint, placeLabels } from "../src/edgelabels";
import { buildLayoutInput, nodeId, scopeId } from "../src/visible";
import { withoutMachinery } from "../src/machinery";
import { buildModel } from "../src/model";
import { articleReuse } from "./fixture";

test("a lifted edge is labelled when all its graph edges carry one shape", () => {
  const m = buildModel(articleReuse());
  const inp = buildLayoutInput(m, { expanded: new Set(), showVarEdges: false });
  const x = nodeId(m.nodeByName.get("x")!);
  const dense = scopeId(m.scopeByPath.get("dense")!);
  const dense1 = scopeId(m.scopeByPath.get("dense_1")!);
  const foo = scopeId(m.scopeByPath.get("foo")!);
  const labels = edgeLabels(m, inp);
  assert.equal(labels.get(edgeKey(x, dense)), "[?, 10]");
  assert.equal(labels.get(edgeKey(dense, dense1)), "[?, 5]");
  // dense -> foo stands for dense/MatMul -> foo, which carries no known shape.
  assert.equal(labels.has(edgeKey(dense, nodeId(m.nodeByName.get("foo")!))), false);
  assert.equal(labels.has(edgeKey(dense1, foo)), false);
  // Every label names an edge the layout draws.
  const drawn = new Set(inp.edges.map((e) => edgeKey(e.from, e.to)));
  for (const key of labels.keys()) assert.ok(drawn.has(key), key);
});

test("edges whose graph edges carry different shapes get no label", () => {
  const r = articleReuse();
  r.graph.edges.push(3, 0); // x -> dense/weights too, carrying another shape
  r.graph.edge_shapes = [1, 1, 0, 0, 0, 1, 2, 2]; // and foo/bar -> foo/bar/baz carries [?, 10]
  const m = buildModel(r);
  const x = nodeId(m.nodeByName.get("x")!);
  const closed = edgeLabels(m, buildLayoutInput(m, { expanded: new Set(), showVarEdges: false }));
  assert.equal(closed.has(edgeKey(x, scopeId(m.scopeByPath.get("dense")!))), false);
  assert.equal(closed.get(edgeKey(x, scopeId(m.scopeByPath.get("dense_1")!))), "[?, 10]");
  // The op foo/bar sits in the box of its scope foo/bar (one box for both): opened, its
  // edge to foo/bar/baz is drawn between the two ops, with its shape.
  const foo = buildLayoutInput(m, { expanded: new Set(["foo", "foo/bar"]), showVarEdges: false });
  const bar = nodeId(m.nodeByName.get("foo/bar")!);
  const baz = nodeId(m.nodeByName.get("foo/bar/baz")!);
  assert.equal(edgeLabels(m, foo).get(edgeKey(bar, baz)), "[?, 10]");
  // Opened, the box is still the drawn end of an edge from outside it: still mixed.
  const open = buildLayoutInput(m, { expanded: new Set(["dense"]), showVarEdges: false });
  assert.equal(edgeLabels(m, open).has(edgeKey(x, scopeId(m.scopeByPath.get("dense")!))), false);
});

test("setting machinery aside keeps each edge's shape with it", () => {
  const m = buildModel(withoutMachinery(articleReuse())); // x is machinery in the fixture
  assert.equal(m.resp.graph.edge_shapes.length * 2, m.resp.graph.edges.length);
  const inp = buildLayoutInput(m, { expanded: new Set(), showVarEdges: false });
  const dense = scopeId(m.scopeByPath.get("dense")!);
  const dense1 = scopeId(m.scopeByPath.get("dense_1")!);
  assert.equal(edgeLabels(m, inp).get(edgeKey(dense, dense1)), "[?, 5]");
});

test("a label sits halfway along its edge", () => {
  assert.deepEqual(
    midpoint([
      { x: 0, y: 0 },
      { x: 0, y: 10 },
      { x: 10, y: 10 },
    ]),
    { x: 0, y: 10 },
  );
  assert.deepEqual(
    midpoint([
      { x: 0, y: 0 },
      { x: 0, y: 4 },
    ]),
    { x: 0, y: 2 },
  );
});

test("a scalar edge is labelled scalar, not []", () => {
  const r = articleReuse();
  r.graph.shape_names = ["", "[]"];
  r.graph.edge_shapes = r.graph.edges.filter((_, k) => k % 2 === 0).map(() => 1);
  const m = buildModel(r);
  const labels = edgeLabels(m, buildLayoutInput(m, { expanded: new Set(), showVarEdges: false }));
  assert.ok(labels.size > 0);
  for (const text of labels.values()) assert.equal(text, "scalar");
});

test("the labels of a two-way link stand clear of each other", () => {
  // The Scopes tab's 150k-op benchmark graph: block[0-999] <-> block[0-999]_1, edges 8px apart.
  const placed = placeLabels([
    { key: "a", text: "[?, 16]", at: { x: 222, y: 440 } },
    { key: "b", text: "[16]", at: { x: 230, y: 442 } },
    { key: "c", text: "[2]", at: { x: 600, y: 440 } },
  ]);
  const [a, b, c] = placed;
  assert.deepEqual([a.anchor, a.x, a.y], ["start", 226, 440]);
  assert.equal(b.anchor, "end"); // left of its edge, so left of the first label's edge too
  assert.ok(b.x <= 226 && b.x - 4 * 5.4 < 222);
  assert.deepEqual([c.anchor, c.x, c.y], ["start", 604, 440]); // far away: where it always goes
  // Three labels on one spot: right, left, then a line lower.
  const crowd = placeLabels(
    ["x", "y", "z"].map((key) => ({ key, text: "[8]", at: { x: 0, y: 0 } })),
  );
  assert.deepEqual(
    crowd.map((l) => [l.anchor, l.y]),
    [
      ["start", 0],
      ["end", 0],
      ["start", 11],
    ],
  );
});
