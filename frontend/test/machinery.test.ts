import { test } from "node:test";
import assert from "node:assert/strict";
import { machineryCount, withoutMachinery } from "../src/machinery";
import { articleReuse } from "./fixture";

test("machinery nodes are dropped and every index is remapped", () => {
  const r = articleReuse(); // node 3 (x) is machinery in the fixture
  assert.equal(machineryCount(r), 1);
  const f = withoutMachinery(r);
  assert.deepEqual(f.graph.nodes, [
    "dense/weights",
    "dense/MatMul",
    "dense_1/MatMul",
    "foo",
    "foo/bar",
    "foo/bar/baz",
  ]);
  // x -> dense/MatMul and x -> dense_1/MatMul are gone; the others keep their ends.
  assert.deepEqual(f.graph.edges, [1, 3, 2, 5, 3, 4, 4, 5, 1, 2]);
  assert.deepEqual(f.graph.reads, [1, 0, 0, 2, 0, 1]);
  assert.equal(f.variables[0].node, 0);
  assert.equal(r.graph.nodes.length, 7); // the response itself is untouched
});

test("a graph without machinery is returned as it is", () => {
  const r = articleReuse();
  r.graph.roles = r.graph.nodes.map(() => 0);
  assert.equal(withoutMachinery(r), r);
});

test("a node of a machinery variable is set aside whatever its role", () => {
  const r = articleReuse();
  r.graph.roles = r.graph.nodes.map(() => 0);
  r.machinery = [{ name: "foo", kind: "optimizer", shape: [], dtype: "float32" }];
  assert.equal(machineryCount(r), 1);
  assert.ok(!withoutMachinery(r).graph.nodes.includes("foo"));
});
