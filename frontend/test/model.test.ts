import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildModel,
  nodeReuses,
  ownerOfNode,
  ownerOfScope,
  nodeStatus,
  scopeReuses,
  scopeStatus,
} from "../src/model";
import { reuseBadge } from "../src/badges";
import { articleReuse } from "./fixture";

test("scope tree: nested boxes from '/'-separated names", () => {
  const m = buildModel(articleReuse());
  const paths = m.scopes.map((s) => s.path);
  assert.deepEqual(paths, ["", "dense", "dense_1", "foo", "foo/bar"]);
  const root = m.scopes[0];
  assert.deepEqual(
    root.children.map((c) => m.scopes[c].path),
    ["dense", "dense_1", "foo"],
  );
  // x sits directly in the root; the op named foo is folded into scope foo.
  assert.deepEqual(
    root.ops.map((n) => m.resp.graph.nodes[n]),
    ["x"],
  );
  assert.equal(m.scopes[m.scopeByPath.get("foo/bar")!].depth, 2);
  assert.equal(root.totalOps, 7);
  assert.equal(m.scopes[m.scopeByPath.get("foo")!].totalOps, 3);
});

test("an op named like a scope is folded into that scope: one box for both", () => {
  const m = buildModel(articleReuse());
  const fooOp = m.nodeByName.get("foo")!;
  assert.equal(m.scopes[m.nodeScope[fooOp]].path, "foo");
  const fooScope = m.scopes[m.scopeByPath.get("foo")!];
  assert.deepEqual(
    fooScope.children.map((c) => m.scopes[c].path),
    ["foo/bar"],
  );
  assert.deepEqual(
    fooScope.ops.map((n) => m.resp.graph.nodes[n]),
    ["foo"],
  );
  // foo/bar is likewise the op inside scope foo/bar, beside foo/bar/baz.
  const fooBar = m.scopes[m.scopeByPath.get("foo/bar")!];
  assert.deepEqual(
    fooBar.ops.map((n) => m.resp.graph.nodes[n]),
    ["foo/bar", "foo/bar/baz"],
  );
  // An op whose name no other node extends stays an op of its parent scope.
  assert.equal(m.scopes[m.nodeScope[m.nodeByName.get("dense/MatMul")!]].path, "dense");
});

test("variable nodes map to their variable", () => {
  const m = buildModel(articleReuse());
  assert.equal(m.nodeVar[0], 0);
  assert.equal(m.nodeVar[1], -1);
  assert.equal(nodeStatus(m, 0), "shared");
});

test("reads triples -> reuses and badges on ops and collapsed scopes", () => {
  const m = buildModel(articleReuse());
  assert.deepEqual(nodeReuses(m, 2), [0]); // dense_1/MatMul reuses dense/weights
  assert.deepEqual(nodeReuses(m, 1), []); // dense/MatMul created it
  assert.equal(nodeStatus(m, 2), "reused");
  assert.equal(nodeStatus(m, 1), "created");
  const d1 = m.scopeByPath.get("dense_1")!;
  const d = m.scopeByPath.get("dense")!;
  assert.deepEqual(scopeReuses(m, d1), [0]);
  assert.deepEqual(scopeReuses(m, d), []);
  // The root holds creator and reuser: nothing crosses its boundary.
  assert.deepEqual(scopeReuses(m, 0), []);
  assert.equal(reuseBadge(m, scopeReuses(m, d1)), "reuses dense/weights from dense");
  assert.equal(reuseBadge(m, []), null);
  assert.equal(scopeStatus(m, d1), "reused");
  assert.equal(scopeStatus(m, d), "shared");
  assert.equal(m.scopes[0].reads.get(0), true);
});

test("several reused variables give a count badge", () => {
  const r = articleReuse();
  r.variables.push({ ...r.variables[0], name: "dense/bias", node: -1 });
  r.graph.reads.push(2, 1, 1);
  const m = buildModel(r);
  assert.equal(
    reuseBadge(m, scopeReuses(m, m.scopeByPath.get("dense_1")!)),
    "reuses 2 variables from dense",
  );
});

test("a badge over several owners still says where from", () => {
  const r = articleReuse();
  r.variables[0] = { ...r.variables[0], name: "dense/a/w", owner_scope: "dense/a" };
  r.variables.push({ ...r.variables[0], name: "dense/b/w", owner_scope: "dense/b", node: -1 });
  r.graph.reads.push(2, 1, 1);
  const m = buildModel(r);
  const d1 = scopeReuses(m, m.scopeByPath.get("dense_1")!);
  assert.equal(reuseBadge(m, d1), "reuses 2 variables from dense");
  r.variables[1] = { ...r.variables[1], owner_scope: "other" };
  assert.equal(reuseBadge(buildModel(r), d1), "reuses 2 variables from 2 scopes");
});

test("owner colouring follows call sites from uses", () => {
  const m = buildModel(articleReuse());
  const d1 = m.scopeByPath.get("dense_1")!;
  assert.equal(ownerOfScope(m, d1), "dense");
  assert.equal(ownerOfScope(m, m.scopeByPath.get("foo")!), null);
  assert.equal(ownerOfNode(m, m.nodeByName.get("dense_1/MatMul")!), "dense");
  assert.equal(ownerOfNode(m, 0), "dense"); // the variable node itself
  assert.equal(ownerOfNode(m, m.nodeByName.get("x")!), null);
});
