import assert from "node:assert/strict";
import { test } from "node:test";
import { buildModel } from "../src/model";
import { drawnInput } from "../src/panels/opdetails";
import { searchModel } from "../src/panels/search";
import { articleReuse } from "./fixture";

/** The article's graph as a trace draws it: the variable known also by its placeholder's name. */
function traced() {
  const r = articleReuse();
  r.variables[0].aliases = ["dense_matmul_readvariableop_resource"];
  return buildModel(r);
}

test("a variable is found by an alias, such as a trace's placeholder name", () => {
  const m = traced();
  assert.deepEqual(searchModel(m, "readvariableop_resource"), [
    { kind: "variable", name: "dense/weights" },
  ]);
  assert.deepEqual(searchModel(m, "nothing_like_it"), []);
});

test("an op's input named by a placeholder links to the variable it stands for", () => {
  const m = traced();
  assert.deepEqual(drawnInput(m, "dense_matmul_readvariableop_resource"), {
    kind: "variable",
    name: "dense/weights",
  });
  assert.deepEqual(drawnInput(m, "dense/weights/read"), {
    kind: "variable",
    name: "dense/weights",
  });
  assert.equal(drawnInput(m, "no_such_op"), null);
});
