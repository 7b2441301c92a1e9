import assert from "node:assert/strict";
import { test } from "node:test";
import { auxScopes, auxSets, placeColumn } from "../src/aux";
import { layout } from "../src/layout";
import { nodeId, scopeId } from "../src/visible";
import { buildModel } from "../src/model";
import { hashFromState, stateFromHash } from "../src/state";
import { articleReuse } from "./fixture";

/** articleReuse with x as machinery (as in the fixture) and foo's ops as gradients. */
function withGradients() {
  const r = articleReuse();
  r.graph.roles = [2, 0, 0, 3, 4, 4, 4];
  return buildModel(r);
}

test("a scope is machinery when every op in and below it is", () => {
  const m = withGradients();
  const sets = auxSets(m);
  assert.deepEqual([...sets.nodes], [0, 0, 0, 1, 1, 1, 1]);
  const aux = auxScopes(m, sets.nodes);
  assert.equal(aux[m.scopeByPath.get("foo")!], 1);
  assert.equal(aux[m.scopeByPath.get("foo/bar")!], 1);
  assert.equal(aux[m.scopeByPath.get("dense")!], 0);
  assert.equal(aux[0], 0); // the root holds the model
});

test("machinery sits in a column right of the model, its edges cut and counted", () => {
  const m = withGradients();
  const l = layout(m, { expanded: new Set(), showVarEdges: false, aux: auxSets(m) });
  const foo = l.items.get(scopeId(m.scopeByPath.get("foo")!))!;
  const x = l.items.get(nodeId(m.nodeByName.get("x")!))!;
  const model = [...l.items.values()].filter((it) => !it.aux);
  assert.ok(foo.aux && x.aux);
  assert.equal(model.length, 2); // dense, dense_1
  for (const a of [foo, x]) {
    for (const it of model) assert.ok(a.x >= it.x + it.w, `${a.label} right of ${it.label}`);
  }
  // No drawn edge touches machinery; each counts its edges to the model.
  assert.ok(l.edges.every((e) => e.from !== foo.id && e.to !== foo.id && e.from !== x.id));
  assert.equal(foo.links, 2); // dense/MatMul -> foo, dense_1/MatMul -> foo/bar/baz
  assert.equal(x.links, 2); // x -> dense/MatMul, x -> dense_1/MatMul
  assert.equal(l.auxAreas.length, 1);
  const area = l.auxAreas[0];
  assert.ok(
    area.x <= Math.min(foo.x, x.x) && area.x + area.w >= Math.max(foo.x + foo.w, x.x + x.w),
  );
});

test("inside an expanded machinery box its content is laid out as usual", () => {
  const m = withGradients();
  const l = layout(m, { expanded: new Set(["foo"]), showVarEdges: false, aux: auxSets(m) });
  const inner = l.children.get(m.scopeByPath.get("foo")!)!.map((id) => l.items.get(id)!);
  assert.ok(inner.length > 0 && inner.every((it) => !it.aux));
  assert.ok(l.edges.some((e) => e.container === m.scopeByPath.get("foo")));
});

test("without machinery the column is empty and nothing moves", () => {
  const col = placeColumn([{ x: 0, y: 0, w: 10, h: 10 }], []);
  assert.equal(col, null);
  const side = [{ x: 0, y: 0, w: 30, h: 20 }];
  const c = placeColumn([{ x: 0, y: 5, w: 100, h: 10 }], side)!;
  assert.ok(side[0].x > 100 && c.w === 30);
});

test("the URL key p.scopes.machinery: absent at the side, 1 in the graph, 0 hidden", () => {
  assert.equal(stateFromHash("#scopes").machinery, "side");
  assert.equal(stateFromHash("#scopes&p.scopes.machinery=1").machinery, "graph");
  assert.equal(stateFromHash("#scopes&p.scopes.machinery=0").machinery, "hidden");
  const st = stateFromHash("#scopes&p.scopes.run=gan");
  assert.equal(hashFromState(st), "#scopes&p.scopes.run=gan");
  st.machinery = "hidden";
  assert.equal(hashFromState(st), "#scopes&p.scopes.run=gan&p.scopes.machinery=0");
});
