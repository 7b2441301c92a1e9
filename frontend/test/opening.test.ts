import assert from "node:assert/strict";
import { test } from "node:test";
import type { GraphResponse } from "../src/contract";
import { maxLevel } from "../src/expand";
import { layout } from "../src/layout";
import { withoutMachinery } from "../src/machinery";
import {
  buildModel,
  edgeCount,
  isCut,
  kindsKey,
  opsInStubs,
  scopeReuses,
  scopeStatus,
  wholeNodeCount,
} from "../src/model";
import { reuseBadge } from "../src/badges";
import { deepest, unopened, wantedPaths } from "../src/opening";
import { initialState } from "../src/state";
import { articleReuse } from "./fixture";

/**
 * article_reuse cut as frontier.py cuts it with nothing open: x, then the stubs dense (its
 * weights and MatMul), dense_1 and foo. dense_1 reads dense/weights as a reuse.
 */
function cutArticle(): GraphResponse {
  const r = articleReuse();
  r.graph = {
    ...r.graph,
    nodes: ["dense", "dense_1", "x", "foo"],
    ops: [4, 4, 2, 4],
    op_types: [...r.graph.op_types, ""],
    roles: [0, 0, 3, 0],
    edges: [2, 0, 2, 1, 0, 3, 1, 3, 0, 1],
    edge_shapes: [1, 1, 0, 0, 0],
    edge_counts: [1, 1, 1, 1, 1],
    reads: [0, 0, 0, 1, 0, 1],
    ids: [-1, -1, 3, -1],
    stubs: [0, 2, 0, 1, 1, 1, 3, 3, 2],
    stub_keys: ["2|0|MatMul,VariableV2", "1|0|MatMul", "3|1|Identity"],
    stub_levels: [0, 0, 1], // foo holds foo/bar
  };
  return r;
}

test("a cut's stubs are scopes with the server's op counts, drawn closed", () => {
  const m = buildModel(cutArticle());
  assert.ok(isCut(m));
  const dense = m.scopes[m.scopeByPath.get("dense")!];
  assert.equal(dense.stub, true);
  assert.equal(dense.totalOps, 2);
  assert.equal(m.scopes[m.scopeByPath.get("foo")!].totalOps, 3);
  assert.equal(m.scopes[0].totalOps, 7); // as the whole graph: 2 + 1 + 1 + 3
  assert.equal(opsInStubs(m), 6);
  assert.equal(wholeNodeCount(m), 7); // the status line counts what the whole graph has
  assert.equal(wholeNodeCount(buildModel(articleReuse())), 7);
  // The placeholder is not an op a search or a link can name.
  assert.equal(m.nodeByName.has("dense"), false);
  // The variable's node is not sent: -1, and its owner is the stub that holds it.
  assert.equal(m.variables[0].node, -1);
  assert.equal(m.scopes[m.varScope[0]].path, "dense");
  // dense_1 reads dense's weights as a reuse: badged and coloured as with the whole graph.
  const d1 = m.scopeByPath.get("dense_1")!;
  assert.deepEqual(scopeReuses(m, d1), [0]);
  assert.equal(scopeStatus(m, d1), "reused");
  // Asked open, a stub still draws closed until its contents come (its placeholder never shows).
  const l = layout(m, { expanded: new Set(["dense"]), showVarEdges: false });
  const box = [...l.items.values()].find((it) => it.kind === "scope" && it.label === "dense")!;
  assert.equal(box.expanded, false);
  assert.equal(l.items.size, 4);
  // "Expand to…" offers the levels the whole graph has, as it would with the graph sent whole.
  assert.equal(maxLevel(m), 2);
  assert.equal(maxLevel(m), maxLevel(buildModel(articleReuse())));
});

test("a cut's lifted edges count the edges they stand for", () => {
  const r = cutArticle();
  r.graph.edge_counts = [1, 1, 5, 1, 1];
  const m = buildModel(r);
  assert.equal(edgeCount(m, 2), 5);
  const l = layout(m, { expanded: new Set(), showVarEdges: false });
  const e = l.edges.find((x) => x.from.endsWith(":dense") || x.count === 5);
  assert.ok(e && e.count === 5, JSON.stringify(l.edges));
  // Hiding machinery keeps the counts and stubs aligned with the nodes that stay.
  const hidden = buildModel(withoutMachinery(r));
  assert.deepEqual(hidden.nodeNames, ["dense", "dense_1", "foo"]);
  assert.deepEqual(hidden.resp.graph.stubs, [0, 2, 0, 1, 1, 1, 2, 3, 2]);
  assert.deepEqual(hidden.resp.graph.stub_levels, [0, 0, 1]);
  assert.equal(edgeCount(hidden, 0), 5);
});

test("alike stubs fold into a series by the server's structure keys", () => {
  const r = articleReuse();
  r.variables = [];
  r.graph = {
    ...r.graph,
    nodes: ["x", "block0", "block1", "block2"],
    ops: [2, 4, 4, 4],
    op_types: [...r.graph.op_types, ""],
    roles: [0, 0, 0, 0],
    edges: [0, 1, 0, 2, 0, 3],
    edge_shapes: [0, 0, 0],
    edge_counts: [1, 1, 1],
    reads: [],
    ids: [0, -1, -1, -1],
    stubs: [1, 4, 0, 2, 4, 0, 3, 4, 0],
    stub_keys: ["4|0|MatMul*4"],
  };
  const m = buildModel(r);
  const series = m.scopes.find((s) => s.series);
  assert.ok(series, m.scopes.map((s) => s.path).join(" "));
  assert.equal(series.name, "block[0-2]");
  assert.equal(series.totalOps, 12);
});

test("kinds are counted in a structure key, sorted", () => {
  assert.equal(kindsKey(["MatMul", "AddN", "AddN", "Const"]), "AddN*2,Const,MatMul");
  assert.equal(kindsKey([]), "");
});

test("what needs opening: paths in or at a stub, never in a graph sent whole", () => {
  const m = buildModel(cutArticle());
  assert.deepEqual(unopened(m, ["dense", "dense/MatMul", "x", "", "nowhere/at/all"]), [
    "dense",
    "dense/MatMul",
  ]);
  assert.deepEqual(unopened(buildModel(articleReuse()), ["dense", "dense/MatMul"]), []);
});

test("what the view needs: open scopes, the selection's place, a variable's call sites", () => {
  const m = buildModel(cutArticle());
  const st = { ...initialState(), expanded: new Set(["foo"]) };
  assert.deepEqual(wantedPaths(m, { ...st, selection: { kind: "node", name: "dense_1/MatMul" } }), [
    "foo",
    "dense_1/MatMul",
  ]);
  const v = wantedPaths(m, { ...st, selection: { kind: "variable", name: "dense/weights" } });
  assert.deepEqual(v, ["foo", "dense/weights", "dense", "", ""]);
  assert.deepEqual(unopened(m, v), ["foo", "dense/weights", "dense"]); // foo is a stub too
});

test("only the deepest paths are asked for: the server opens their ancestors", () => {
  assert.deepEqual(deepest(["a", "a/b", "a/b/c", "a-b", "d", "", "a/b"]), ["a-b", "a/b/c", "d"]);
});

test("a badge over owners inside one stub names their common scope, as with the whole graph", () => {
  // Two weights of dense/inner, reused by dense_1: the cut holds only the stub dense above them.
  const own = (r: GraphResponse) => {
    r.variables[0] = { ...r.variables[0], name: "dense/inner/a/w", owner_scope: "dense/inner/a" };
    r.variables.push({
      ...r.variables[0],
      name: "dense/inner/b/w",
      owner_scope: "dense/inner/b",
      node: -1,
    });
    return r;
  };
  const whole = own(articleReuse());
  whole.graph.reads.push(2, 1, 1);
  const cut = own(cutArticle());
  cut.graph.reads.push(1, 1, 1);
  const badge = (r: GraphResponse) => {
    const m = buildModel(r);
    return reuseBadge(m, scopeReuses(m, m.scopeByPath.get("dense_1")!));
  };
  assert.equal(badge(whole), "reuses 2 variables from dense/inner");
  assert.equal(badge(cut), "reuses 2 variables from dense/inner");
});
