import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { GraphResponse } from "../src/contract";
import { SERIES_PAGE, buildLayoutInput, moreId, nodeId, scopeId } from "../src/visible";
import { buildModel, scopeReuses, scopeStatus, seriesLine, seriesSummary } from "../src/model";
import { reuseBadge } from "../src/badges";
import { SERIES_ROW_W, layout } from "../src/layout";
import { OP_SERIES_MIN, SERIES_MIN, findSeries } from "../src/series";
import { autoExpandPaths, revealPaths, toggleScope } from "../src/view";
import { articleReuse } from "./fixture";

// The cases the server's series.py is checked on too (tests/test_series.py): one rule.
const shared = JSON.parse(
  readFileSync(new URL("../../tests/fixtures/series.json", import.meta.url), "utf8"),
) as {
  cases: Array<{ why: string; names: string[]; keys: string[]; min?: number; series: unknown }>;
};

for (const c of shared.cases) {
  test(`series rule: ${c.why}`, () => {
    assert.deepEqual(findSeries(c.names, c.keys, c.min ?? SERIES_MIN), c.series);
  });
}

/**
 * `n` blocks as an AUTO_REUSE variable scope entered twice makes them: `block{k}` creates
 * `block{k}/w` and reads it, `block{k}_1` reads it again (a reuse), all in one chain.
 */
function blocks(n: number): GraphResponse {
  const r = articleReuse();
  const nodes: string[] = ["x"];
  const ops: number[] = [0];
  const edges: number[] = [];
  const reads: number[] = [];
  r.variables = [];
  let prev = 0;
  for (let k = 0; k < n; k++) {
    const w = nodes.push(`block${k}/w`) - 1;
    ops.push(1);
    const first = nodes.push(`block${k}/MatMul`) - 1;
    ops.push(0);
    const again = nodes.push(`block${k}_1/MatMul`) - 1;
    ops.push(0);
    edges.push(prev, first, w, first, first, again, w, again);
    reads.push(first, k, 0, again, k, 1);
    prev = again;
    r.variables.push({
      ...articleReuse().variables[0],
      name: `block${k}/w`,
      owner_scope: `block${k}`,
      node: w,
      uses: [
        { call_site: `block${k}`, call: 0, status: "created", updated_only: false, ops: [] },
        { call_site: `block${k}_1`, call: 0, status: "reused", updated_only: false, ops: [] },
      ],
    });
  }
  r.findings = [];
  r.graph = {
    nodes,
    ops,
    op_types: ["MatMul", "VariableV2"],
    edges,
    edge_shapes: edges.filter((_, k) => k % 2 === 0).map(() => 0),
    shape_names: [""],
    reads,
    roles: nodes.map((_, i) => (ops[i] === 1 ? 2 : 0)),
    role_names: ["compute", "pass", "variable", "machinery", "gradient"],
  };
  return r;
}

test("first calls and reuse calls fold into two series between the top level and the blocks", () => {
  const m = buildModel(blocks(120));
  const top = m.scopes[0].children.map((c) => m.scopes[c].path);
  assert.deepEqual(top, ["block[0-119]", "block[0-119]_1"]);
  const [first, again] = m.scopes[0].children;
  assert.equal(m.scopes[first].children.length, 120);
  assert.equal(m.scopes[m.scopes[first].children[7]].path, "block7");
  assert.equal(m.scopes[first].totalOps, 240);
  // Pre-order numbering: every parent's index is below its children's.
  for (const sc of m.scopes) assert.ok(sc.parent < sc.index);
  assert.deepEqual(seriesSummary(m, first), {
    members: 120,
    opsEach: 2,
    creating: 120,
    reusing: 0,
    opType: null,
  });
  assert.equal(seriesLine(seriesSummary(m, again)!), "120 members · 120 reuse");
  assert.equal(reuseBadge(m, scopeReuses(m, again)), "reuses 120 variables from block[0-119]");
  assert.equal(scopeStatus(m, again), "reused");
  assert.equal(scopeStatus(m, first), "shared"); // its variables have two call sites each
  // A series is a summary: the first view does not open it.
  assert.deepEqual(autoExpandPaths(m), []);
});

test("an open series draws a page of members, then the next on request; a pinned member is always drawn", () => {
  const m = buildModel(blocks(120));
  const series = m.scopes[0].children[0];
  const expanded = new Set(["block[0-119]"]);
  const page1 = buildLayoutInput(m, { expanded, showVarEdges: false });
  assert.equal(page1.children.get(series)!.length, SERIES_PAGE + 1);
  assert.equal(page1.items.get(moreId(series))!.hidden, 120 - SERIES_PAGE);
  const pages = new Map([["block[0-119]", 2]]);
  const page2 = buildLayoutInput(m, { expanded, showVarEdges: false, pages });
  assert.equal(page2.items.get(moreId(series))!.hidden, 120 - 2 * SERIES_PAGE);
  const deep = m.scopeByPath.get("block110")!;
  const pinned = buildLayoutInput(m, {
    expanded,
    showVarEdges: false,
    pinScopes: new Set([series, deep]),
  });
  assert.ok(pinned.items.has(scopeId(deep)));
  // Edges reach a folded series as one item: the chain runs between the two series.
  const top = buildLayoutInput(m, { expanded: new Set(), showVarEdges: false });
  const ids = top.edges.map((e) => `${e.from}->${e.to}`);
  assert.ok(ids.includes(`${scopeId(series)}->${scopeId(m.scopes[0].children[1])}`));
});

test("revealing an op inside a member opens its series too", () => {
  const m = buildModel(blocks(60));
  const paths = revealPaths(m, { kind: "node", name: "block42/MatMul" });
  assert.deepEqual(paths, ["block[0-59]", "block42"]);
  const lay = buildLayoutInput(m, { expanded: new Set(paths), showVarEdges: false });
  assert.ok(lay.items.has(nodeId(m.nodeByName.get("block42/MatMul")!)));
});

test("a series opens for a member named in the URL, and closing it forgets its members", () => {
  const m = buildModel(blocks(60));
  const series = m.scopes[0].children[0];
  const member = m.scopeByPath.get("block7")!;
  const lay = buildLayoutInput(m, { expanded: new Set(["block7"]), showVarEdges: false });
  assert.ok(lay.items.get(scopeId(series))!.expanded);
  assert.ok(lay.items.get(scopeId(member))!.expanded);
  // Closing the member keeps its series open; closing the series closes the member too.
  assert.deepEqual([...toggleScope(m, new Set(["block7"]), member, true)], ["block[0-59]"]);
  assert.deepEqual([...toggleScope(m, new Set(["block7", "block7/x"]), series, true)], []);
  assert.deepEqual([...toggleScope(m, new Set(), series, false)], ["block[0-59]"]);
});

test("an open series reads as a list: left-aligned rows no wider than a canvas", () => {
  const m = buildModel(blocks(120));
  const l = layout(m, { expanded: new Set(["block[0-119]"]), showVarEdges: false });
  const series = m.scopes[0].children[0];
  const members = l.children.get(series)!.map((id) => l.items.get(id)!);
  const rows = new Map<number, number[]>();
  for (const it of members) {
    const row = Math.round(it.y + it.h / 2); // "+N more" is shorter, centred in the last row
    rows.set(row, [...(rows.get(row) ?? []), it.x]);
  }
  assert.ok(rows.size >= 5, `${rows.size} rows`);
  const lefts = new Set([...rows.values()].map((xs) => Math.round(Math.min(...xs))));
  assert.equal(lefts.size, 1, "every row starts at the box's left edge");
  for (const it of members)
    assert.ok(it.x + it.w <= SERIES_ROW_W + 1, `${it.label} ends at ${it.x + it.w}`);
});

/**
 * A `gradients` scope as tf.gradients fills it: `n` ZerosLike gradient ops `zeros_like`,
 * `zeros_like_1` …, a Shape, and a model scope `tower` whose MatMul reads `tower/w` in three
 * calls of one scope (a TF2 shared layer: MatMul, MatMul_1, MatMul_2).
 */
function gradientsScope(n: number): GraphResponse {
  const r = articleReuse();
  const nodes = ["tower/w", "tower/MatMul", "tower/MatMul_1", "tower/MatMul_2", "gradients/Shape"];
  const ops = [1, 0, 0, 0, 2];
  for (let k = 0; k < n; k++) {
    nodes.push(k ? `gradients/zeros_like_${k}` : "gradients/zeros_like");
    ops.push(3);
  }
  const edges = [0, 1, 0, 2, 0, 3, 1, 5, 4, 5];
  r.variables = [
    {
      ...articleReuse().variables[0],
      name: "tower/w",
      owner_scope: "tower",
      node: 0,
      uses: [{ call_site: "tower", call: 0, status: "created", updated_only: false, ops: [] }],
    },
  ];
  r.findings = [];
  r.graph = {
    nodes,
    ops,
    op_types: ["MatMul", "VariableV2", "Shape", "ZerosLike"],
    edges,
    edge_shapes: edges.filter((_, k) => k % 2 === 0).map(() => 0),
    shape_names: [""],
    reads: [1, 0, 0, 2, 0, 1, 3, 0, 1],
    roles: ops.map((t) => (t === 1 ? 2 : t >= 2 ? 4 : 0)),
    role_names: ["compute", "pass", "variable", "machinery", "gradient"],
  };
  return r;
}

test("a run of alike leaf ops folds into a series that holds them; three calls of a shared op stay", () => {
  const m = buildModel(gradientsScope(300));
  const grads = m.scopeByPath.get("gradients")!;
  const path = "gradients/zeros_like, zeros_like_[1-299]";
  const series = m.scopeByPath.get(path)!;
  assert.deepEqual(m.scopes[grads].children, [series]);
  assert.deepEqual(
    m.scopes[grads].ops.map((i) => m.nodeNames[i]),
    ["gradients/Shape"],
  );
  const zeros7 = m.nodeByName.get("gradients/zeros_like_7")!;
  assert.equal(m.nodeScope[zeros7], series);
  assert.equal(m.scopes[series].ops.length, 300);
  assert.equal(m.scopes[series].totalOps, 300);
  assert.equal(m.scopes[grads].totalOps, 301);
  assert.deepEqual(seriesSummary(m, series), {
    members: 300,
    opsEach: 1,
    creating: 0,
    reusing: 0,
    opType: "ZerosLike",
  });
  assert.equal(seriesLine(seriesSummary(m, series)!), "300 members");
  // Below OP_SERIES_MIN, and the variable: drawn one by one.
  const tower = m.scopeByPath.get("tower")!;
  assert.equal(m.scopes[tower].children.length, 0);
  assert.equal(m.scopes[tower].ops.length, 4);
  assert.ok(OP_SERIES_MIN > 3);
  // Closed, the series is one item that the edge into the run lands on.
  const lay = buildLayoutInput(m, { expanded: new Set(["gradients"]), showVarEdges: false });
  assert.deepEqual(lay.children.get(grads), [scopeId(series), nodeId(4)]);
  assert.equal(lay.itemOfNode(zeros7), scopeId(series));
  assert.equal(lay.items.get(scopeId(series))!.note, "300 members");
  // Open, it pages through its ops; revealing a member opens the series around it.
  const open = buildLayoutInput(m, { expanded: new Set(["gradients", path]), showVarEdges: false });
  assert.equal(open.children.get(series)!.length, SERIES_PAGE + 1);
  assert.equal(open.items.get(moreId(series))!.hidden, 300 - SERIES_PAGE);
  assert.deepEqual(revealPaths(m, { kind: "node", name: "gradients/zeros_like_250" }), [
    "gradients",
    path,
  ]);
  const pinned = buildLayoutInput(m, {
    expanded: new Set(["gradients", path]),
    showVarEdges: false,
    pinNodes: new Set([m.nodeByName.get("gradients/zeros_like_250")!]),
  });
  assert.ok(pinned.items.has(nodeId(m.nodeByName.get("gradients/zeros_like_250")!)));
});

test("four alike leaf ops are drawn one by one", () => {
  const m = buildModel(gradientsScope(4));
  const grads = m.scopeByPath.get("gradients")!;
  assert.deepEqual(m.scopes[grads].children, []);
  assert.equal(m.scopes[grads].ops.length, 5);
});

test("ops named by a number alone (PyTorch's tracer) never fold: each box says its op type", () => {
  const r = gradientsScope(0);
  const g = r.graph;
  for (let k = 61; k < 68; k++) {
    g.nodes.push(`PairScorer/${k}`);
    g.ops.push(2);
    g.roles!.push(0);
  }
  const m = buildModel(r);
  const scorer = m.scopeByPath.get("PairScorer")!;
  assert.deepEqual(m.scopes[scorer].children, []);
  assert.equal(m.scopes[scorer].ops.length, 7);
});

test("a Keras model's layers never fold, nor ops that read a variable: each use stays drawn", () => {
  const keras = gradientsScope(300);
  keras.kind = "keras_model";
  const m = buildModel(keras);
  assert.equal(m.scopes[m.scopeByPath.get("gradients")!].children.length, 0);
  assert.equal(m.scopes[m.scopeByPath.get("gradients")!].ops.length, 301);
  // Six calls of one shared layer in one TF2 scope, each MatMul reading `tower/w`.
  const r = gradientsScope(0);
  for (let k = 3; k < 6; k++) {
    r.graph.nodes.push(`tower/MatMul_${k}`);
    r.graph.ops.push(0);
    r.graph.roles!.push(0);
    r.graph.reads.push(r.graph.nodes.length - 1, 0, 1);
  }
  const shared = buildModel(r);
  const tower = shared.scopeByPath.get("tower")!;
  assert.deepEqual(shared.scopes[tower].children, []);
  assert.equal(shared.scopes[tower].ops.length, 7);
});
