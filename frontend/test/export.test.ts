import assert from "node:assert/strict";
import { test } from "node:test";
import { fileBase, pngScale, variablesCsv } from "../src/export";
import { buildModel } from "../src/model";
import { articleReuse } from "./fixture";

test("export file names are safe on every system", () => {
  assert.equal(fileBase("gan", "__run_graph__"), "gan-__run_graph__");
  assert.equal(fileBase("keras/train", "keras"), "keras_train-keras");
  assert.equal(fileBase("a b:c", "t"), "a_b_c-t");
});

test("the PNG is twice the drawing's size unless the canvas would be too big", () => {
  assert.equal(pngScale(800, 600), 2);
  assert.ok(pngScale(40000, 100) * 40000 <= 16384);
  const k = pngScale(20000, 20000);
  assert.ok(20000 * k * 20000 * k <= 64e6 + 1);
});

test("the CSV lists every variable once, by name", () => {
  const csv = variablesCsv(buildModel(articleReuse()));
  assert.equal(
    csv,
    'name,owner scope,shape,dtype,params,status,uses,findings\r\ndense/weights,dense,"[10, 5]",float32,50,shared,2,\r\n',
  );
});
