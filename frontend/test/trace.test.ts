import assert from "node:assert/strict";
import { test } from "node:test";
import { decorate } from "../src/decorate";
import { buildLayoutInput, nodeId, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { initialState } from "../src/state";
import { edgeKey } from "../src/edgelabels";
import { tracedEdges, upstream } from "../src/trace";
import { articleReuse } from "./fixture";

const names = (m: ReturnType<typeof buildModel>, s: Set<number>) =>
  [...s].map((n) => m.resp.graph.nodes[n]).sort();

test("upstream of an op: its transitive data inputs and the variables read on the way", () => {
  const m = buildModel(articleReuse());
  // foo/bar/baz <- foo/bar <- foo <- dense/MatMul <- x, and <- dense_1/MatMul <- x, dense/MatMul
  const up = upstream(m, m.nodeByName.get("foo/bar/baz")!);
  assert.deepEqual(names(m, up), [
    "dense/MatMul",
    "dense/weights", // read by dense/MatMul and dense_1/MatMul
    "dense_1/MatMul",
    "foo",
    "foo/bar",
    "x",
  ]);
  assert.deepEqual(names(m, upstream(m, m.nodeByName.get("dense/MatMul")!)), [
    "dense/weights",
    "x",
  ]);
  assert.equal(upstream(m, m.nodeByName.get("x")!).size, 0);
});

test("tracing highlights the boxes that hold an upstream op, and only those", () => {
  const m = buildModel(articleReuse());
  const st = initialState();
  st.selection = { kind: "node", name: "dense_1/MatMul" };
  st.trace = true;
  st.expanded = new Set(["dense_1"]);
  const l = {
    ...buildLayoutInput(m, { expanded: st.expanded, showVarEdges: false }),
    width: 0,
    height: 0,
    auxAreas: [],
  };
  const d = decorate(m, l, st, nodeId(m.nodeByName.get("dense_1/MatMul")!));
  assert.equal(d.highlight.get(scopeId(m.scopeByPath.get("dense")!)), "trace"); // holds dense/MatMul
  assert.equal(d.highlight.get(nodeId(m.nodeByName.get("x")!)), "trace");
  assert.equal(d.highlight.has(scopeId(m.scopeByPath.get("foo")!)), false); // downstream only
  assert.equal(d.highlight.has(nodeId(m.nodeByName.get("dense_1/MatMul")!)), false); // the op itself
  st.trace = false;
  assert.equal(decorate(m, l, st, null).highlight.size, 0);
});

test("the drawn edges of a trace: those that carry a value towards the selected op", () => {
  const m = buildModel(articleReuse());
  const l = buildLayoutInput(m, { expanded: new Set(), showVarEdges: false });
  const x = nodeId(m.nodeByName.get("x")!);
  const dense = scopeId(m.scopeByPath.get("dense")!);
  const dense1 = scopeId(m.scopeByPath.get("dense_1")!);
  const foo = scopeId(m.scopeByPath.get("foo")!);
  const lit = tracedEdges(m, l, m.nodeByName.get("dense_1/MatMul")!);
  assert.deepEqual(
    [...lit].sort(),
    [edgeKey(dense, dense1), edgeKey(x, dense), edgeKey(x, dense1)].sort(),
  );
  assert.equal(lit.has(edgeKey(dense1, foo)), false); // downstream
});
