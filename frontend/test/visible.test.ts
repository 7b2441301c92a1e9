import assert from "node:assert/strict";
import { test } from "node:test";
import { buildLayoutInput, moreId, nodeId, opLabel, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { articleReuse, wide } from "./fixture";

const edgeSet = (edges: Array<{ from: string; to: string; count: number; container: number }>) =>
  edges.map((e) => `${e.container}:${e.from}->${e.to}x${e.count}`).sort();

test("collapsed top level: only top-level items, edges lifted and deduplicated", () => {
  const m = buildModel(articleReuse());
  const inp = buildLayoutInput(m, { expanded: new Set(), showVarEdges: false });
  const dense = m.scopeByPath.get("dense")!;
  const dense1 = m.scopeByPath.get("dense_1")!;
  const foo = m.scopeByPath.get("foo")!;
  const x = m.nodeByName.get("x")!;
  // The op named foo is inside box foo: one item for both.
  assert.deepEqual(
    [...inp.items.keys()].sort(),
    [scopeId(dense), scopeId(dense1), scopeId(foo), nodeId(x)].sort(),
  );
  assert.equal(inp.itemOfNode(m.nodeByName.get("foo")!), scopeId(foo));
  assert.equal(inp.itemOfNode(m.nodeByName.get("foo/bar/baz")!), scopeId(foo));
  assert.deepEqual(
    edgeSet(inp.edges),
    [
      `0:${nodeId(x)}->${scopeId(dense)}x1`,
      `0:${nodeId(x)}->${scopeId(dense1)}x1`,
      `0:${scopeId(dense)}->${scopeId(foo)}x1`,
      `0:${scopeId(dense1)}->${scopeId(foo)}x1`,
      `0:${scopeId(dense)}->${scopeId(dense1)}x1`,
    ].sort(),
  );
  assert.equal(inp.items.get(scopeId(dense1))!.badge, "reuses dense/weights from dense");
  assert.equal(inp.items.get(scopeId(dense))!.badge, null);
});

test("expanded scope: children inside, edges lifted to siblings of the lowest common box", () => {
  const m = buildModel(articleReuse());
  const inp = buildLayoutInput(m, { expanded: new Set(["foo", "dense"]), showVarEdges: false });
  const foo = m.scopeByPath.get("foo")!;
  const fooBar = m.scopeByPath.get("foo/bar")!;
  const dense = m.scopeByPath.get("dense")!;
  const dense1 = m.scopeByPath.get("dense_1")!;
  const matmul = m.nodeByName.get("dense/MatMul")!;
  const fooOp = m.nodeByName.get("foo")!;
  assert.ok(inp.items.get(scopeId(foo))!.expanded);
  // Expanded, box foo shows its own op foo beside scope foo/bar.
  assert.deepEqual(inp.children.get(foo), [scopeId(fooBar), nodeId(fooOp)]);
  assert.equal(inp.items.get(scopeId(fooBar))!.container, foo);
  const edges = edgeSet(inp.edges);
  // foo (op) -> foo/bar (op, inside collapsed scope foo/bar): both in box foo.
  assert.ok(edges.includes(`${foo}:${nodeId(fooOp)}->${scopeId(fooBar)}x1`));
  // dense/MatMul -> dense_1/MatMul crosses boxes: lifted to dense -> dense_1 at the root.
  assert.ok(edges.includes(`0:${scopeId(dense)}->${scopeId(dense1)}x1`));
  assert.ok(!edges.some((e) => e.includes(nodeId(matmul) + "->" + scopeId(dense1))));
});

test("variable edges only when the toggle is on", () => {
  const m = buildModel(articleReuse());
  const expanded = new Set(["dense"]);
  const off = buildLayoutInput(m, { expanded, showVarEdges: false });
  const on = buildLayoutInput(m, { expanded, showVarEdges: true });
  assert.equal(off.edges.filter((e) => e.kind === "read").length, 0);
  const reads = on.edges.filter((e) => e.kind === "read").map((e) => `${e.from}->${e.to}`);
  const dense = m.scopeByPath.get("dense")!;
  const dense1 = m.scopeByPath.get("dense_1")!;
  assert.ok(reads.includes(`${nodeId(0)}->${nodeId(1)}`)); // inside box dense
  assert.ok(reads.includes(`${scopeId(dense)}->${scopeId(dense1)}`)); // lifted
});

test("a box with more children than the cap shows the first ones and +N more", () => {
  const m = buildModel(wide(1299));
  const w = m.scopeByPath.get("wide")!;
  const inp = buildLayoutInput(m, { expanded: new Set(["wide"]), showVarEdges: false });
  const kids = inp.children.get(w)!;
  assert.equal(kids.length, 1001);
  assert.equal(kids[1000], moreId(w));
  assert.equal(inp.items.get(moreId(w))!.label, "+300 more");
  assert.deepEqual(inp.truncated, [{ scope: w, shown: 1000, hidden: 300 }]);
  // Edges to hidden ops land on the "+N more" item, counted.
  const toMore = inp.edges.find((e) => e.to === moreId(w))!;
  assert.equal(toMore.count, 300);
  assert.equal(inp.itemOfNode(m.nodeByName.get("wide/op_1298")!), moreId(w));
  assert.equal(
    inp.itemOfNode(m.nodeByName.get("wide/op_0")!),
    nodeId(m.nodeByName.get("wide/op_0")!),
  );
  const small = buildLayoutInput(m, {
    expanded: new Set(["wide"]),
    showVarEdges: false,
    cap: 2000,
  });
  assert.equal(small.children.get(w)!.length, 1300);
});

test("scopes without ops (call-site names only) are not drawn", () => {
  const r = articleReuse();
  r.variables[0].uses.push({
    call_site: "layer/call_0",
    call: 0,
    status: "reused",
    updated_only: false,
    ops: [],
  });
  const m = buildModel(r);
  assert.ok(m.scopeByPath.has("layer/call_0"));
  const inp = buildLayoutInput(m, { expanded: new Set(["layer"]), showVarEdges: false });
  assert.ok(!inp.items.has(scopeId(m.scopeByPath.get("layer")!)));
});

test("pinned items stay visible in a box over the cap", () => {
  const m = buildModel(wide(1299));
  const w = m.scopeByPath.get("wide")!;
  const deep = m.nodeByName.get("wide/op_1200")!;
  const inp = buildLayoutInput(m, {
    expanded: new Set(["wide"]),
    showVarEdges: false,
    pinNodes: new Set([deep]),
    pinScopes: new Set([w]),
  });
  assert.equal(inp.itemOfNode(deep), nodeId(deep));
  assert.equal(inp.children.get(w)!.length, 1001);
  assert.deepEqual(inp.truncated, [{ scope: w, shown: 1000, hidden: 300 }]);
});

test("a node named only by a number (PyTorch's tracer) is labelled with its op type", () => {
  const r = articleReuse();
  r.graph.nodes[3] = "Model/Linear[fc1]/69";
  r.graph.op_types[2] = "aten::linear";
  const m = buildModel(r);
  assert.equal(opLabel(m, 3), "aten::linear");
  assert.equal(opLabel(m, 1), "MatMul");
});
