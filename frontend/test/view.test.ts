import assert from "node:assert/strict";
import { test } from "node:test";
import { layout } from "../src/layout";
import { nodeId, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { initialState } from "../src/state";
import {
  autoExpandPaths,
  layoutKey,
  pinTargets,
  resolveSelection,
  revealPaths,
  scopesOfNodes,
  selectedItem,
  toggleExpanded,
} from "../src/view";
import { articleReuse } from "./fixture";

const model = () => buildModel(articleReuse());

test("a node that is a variable selects the variable; a name that is gone selects nothing", () => {
  const m = model();
  assert.deepEqual(resolveSelection(m, { kind: "node", name: "dense/weights" }), {
    kind: "variable",
    name: "dense/weights",
  });
  // A link that names a scope as a node (no op of that name) selects the scope.
  assert.deepEqual(resolveSelection(m, { kind: "node", name: "dense" }), {
    kind: "scope",
    name: "dense",
  });
  assert.equal(resolveSelection(m, { kind: "node", name: "nope" }), null);
  assert.equal(resolveSelection(m, { kind: "scope", name: "nope" }), null);
});

test("revealing a variable opens its own scope and the boxes around every call site", () => {
  const m = model();
  assert.deepEqual(revealPaths(m, { kind: "variable", name: "dense/weights" }).sort(), ["dense"]);
  // A node deep in foo/bar opens foo and foo/bar; a scope opens its ancestors only.
  assert.deepEqual(revealPaths(m, { kind: "node", name: "foo/bar/baz" }), ["foo", "foo/bar"]);
  assert.deepEqual(revealPaths(m, { kind: "scope", name: "foo/bar" }), ["foo"]);
});

test("collapsing a scope forgets what was open inside it, and nothing else", () => {
  const open = new Set(["foo", "foo/bar", "dense", "foobar"]);
  assert.deepEqual([...toggleExpanded(open, "foo")].sort(), ["dense", "foobar"]);
  assert.deepEqual([...toggleExpanded(new Set(["dense"]), "foo")].sort(), ["dense", "foo"]);
  assert.equal(open.size, 4, "the given set is left as it was");
});

test("a top level of several alike items is not auto-expanded", () => {
  assert.deepEqual(autoExpandPaths(model()), []);
});

test("the first view opens the scope that holds most of the graph, down its chain", () => {
  // A PyTorch model: its class scope beside small input and output scopes.
  const r = articleReuse();
  const inner = Array.from({ length: 12 }, (_, i) => `Net/Linear[fc${i % 3}]/op_${i}`);
  r.graph.nodes = ["input/x", "Net/relu", ...inner, "output/y"];
  r.graph.ops = r.graph.nodes.map(() => 0);
  r.graph.roles = r.graph.nodes.map(() => 0);
  r.graph.edges = [];
  r.graph.reads = [];
  r.variables = [];
  assert.deepEqual(autoExpandPaths(buildModel(r)), ["Net"]);
});

test("a box that holds one scope and nothing else is opened on the way through, not one op", () => {
  // add_graph around a transformers model: a wrapper module whose one child is the model.
  const r = articleReuse();
  const inner = Array.from({ length: 12 }, (_, i) => `Logits/GPT2[model]/Block[h${i % 3}]/op_${i}`);
  r.graph.nodes = ["input/x", ...inner, "Logits/GPT2[model]/Lone[norm]/op", "output/y"];
  r.graph.ops = r.graph.nodes.map(() => 0);
  r.graph.roles = r.graph.nodes.map(() => 0);
  r.graph.edges = [];
  r.graph.reads = [];
  r.variables = [];
  assert.deepEqual(autoExpandPaths(buildModel(r)), ["Logits", "Logits/GPT2[model]"]);
  // A dominant box of a single op stays closed: opening it would show the same one thing.
  r.graph.nodes = ["input/x", "Net/Only[one]/op", "output/y"];
  r.graph.ops = r.graph.roles = [0, 0, 0];
  assert.deepEqual(autoExpandPaths(buildModel(r)), []);
});

test("the selected item is the node itself when drawn, else the collapsed box holding it", () => {
  const m = model();
  const collapsed = layout(m, { expanded: new Set(), showVarEdges: false });
  const sel = { kind: "node", name: "dense/MatMul" } as const;
  assert.equal(selectedItem(m, collapsed, sel), scopeId(m.scopeByPath.get("dense")!));
  const open = layout(m, { expanded: new Set(["dense"]), showVarEdges: false });
  assert.equal(selectedItem(m, open, sel), nodeId(m.nodeByName.get("dense/MatMul")!));
  assert.equal(selectedItem(m, open, null), null);
});

test("pins: the selected variable's node and a focused finding's variables", () => {
  const m = model();
  assert.deepEqual(pinTargets(m, { kind: "variable", name: "dense/weights" }, null), [0]);
  assert.deepEqual(pinTargets(m, { kind: "node", name: "foo/bar/baz" }, null), [6]);
  assert.deepEqual(pinTargets(m, null, null), []);
});

test("the layout key changes with what is laid out, not with the selection", () => {
  const st = initialState();
  const key = layoutKey(st, [], new Map());
  st.selection = { kind: "scope", name: "dense" };
  assert.equal(layoutKey(st, [], new Map()), key);
  st.expanded.add("dense");
  const opened = layoutKey(st, [], new Map());
  assert.notEqual(opened, key);
  assert.notEqual(layoutKey(st, [3], new Map()), opened);
  assert.notEqual(layoutKey(st, [], new Map([["blocks", 2]])), opened);
});

test("a pinned node keeps every scope above it, and only those", () => {
  const m = model();
  const n = m.nodeByName.get("foo/bar/baz")!;
  const paths = [...scopesOfNodes(m, [n])].map((s) => m.scopes[s].path).sort();
  assert.deepEqual(paths, ["foo", "foo/bar"]);
  assert.equal(scopesOfNodes(m, []).size, 0);
});
