import assert from "node:assert/strict";
import { test } from "node:test";
import { expansionToLevel, maxLevel } from "../src/expand";
import { buildModel } from "../src/model";
import { articleReuse, wide } from "./fixture";

test("expand to level N opens every drawn scope down to depth N", () => {
  const m = buildModel(articleReuse()); // dense, dense_1, foo, foo/bar
  assert.deepEqual([...expansionToLevel(m, 1)].sort(), ["dense", "dense_1", "foo"]);
  assert.deepEqual([...expansionToLevel(m, 2)].sort(), ["dense", "dense_1", "foo", "foo/bar"]);
  assert.equal(maxLevel(m), 2);
  assert.equal(expansionToLevel(m, 0).size, 0); // collapse all
});

test("scopes folded into '+N more' by the cap are not expanded", () => {
  const r = wide(0);
  // Names with no number: five alike scopes named s0 … s4 would fold into a series.
  r.graph.nodes = ["a", "b", "c", "d", "e"].map((x) => `${x}/op`);
  r.graph.ops = r.graph.nodes.map(() => 0);
  r.graph.roles = r.graph.nodes.map(() => 0);
  const m = buildModel(r);
  assert.deepEqual([...expansionToLevel(m, 3, 2)].sort(), ["a", "b"]);
});
