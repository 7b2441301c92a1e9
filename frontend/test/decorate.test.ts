import assert from "node:assert/strict";
import { test } from "node:test";
import { decorate, ownerColour } from "../src/decorate";
import { layout } from "../src/layout";
import { nodeId, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { initialState } from "../src/state";
import { articleReuse } from "./fixture";

test("selecting a variable highlights its creating and reusing call sites", () => {
  const m = buildModel(articleReuse());
  const st = initialState();
  st.selection = { kind: "variable", name: "dense/weights" };
  st.expanded = new Set(["dense"]);
  const l = layout(m, { expanded: st.expanded, showVarEdges: false });
  const d = decorate(m, l, st, nodeId(0));
  const dense = scopeId(m.scopeByPath.get("dense")!);
  const dense1 = scopeId(m.scopeByPath.get("dense_1")!);
  assert.equal(d.highlight.get(dense), "created");
  assert.equal(d.highlight.get(dense1), "reused");
  assert.equal(d.highlight.get(nodeId(1)), "created"); // dense/MatMul, visible in the open box
  assert.equal(d.selected, nodeId(0));
  assert.equal(d.status.get(nodeId(0)), "shared");
  assert.equal(d.status.get(dense1), "reused");
  assert.equal(d.names.get(dense1), "dense_1");
});

test("owner mode tints every call site of one owner with one colour", () => {
  const m = buildModel(articleReuse());
  const st = initialState();
  st.color = "owner";
  const l = layout(m, { expanded: st.expanded, showVarEdges: false });
  const d = decorate(m, l, st, null);
  const dense = scopeId(m.scopeByPath.get("dense")!);
  const dense1 = scopeId(m.scopeByPath.get("dense_1")!);
  assert.ok(d.tint.get(dense));
  assert.equal(d.tint.get(dense1), d.tint.get(dense));
  assert.equal(d.status.size, 0);
  assert.equal(d.highlight.size, 0);
});

test("owner colours never repeat and are never the red of a missed sharing", () => {
  const colours = Array.from({ length: 200 }, (_, i) => ownerColour(i));
  assert.equal(new Set(colours).size, 200);
  for (const c of colours) {
    const hue = Number(/^hsl\(([\d.]+) /.exec(c)![1]);
    assert.ok(hue >= 25 && hue <= 335, `${c} is red`);
  }
  // Neighbours (owners listed next to each other) are far apart on the colour wheel.
  const hue = (i: number) => Number(/^hsl\(([\d.]+) /.exec(ownerColour(i))![1]);
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(hue(i) - hue(i + 1)) > 30);
});
