import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_ROW_W, layout } from "../src/layout";
import { buildModel } from "../src/model";
import { scopeId } from "../src/visible";
import { articleReuse, wide } from "./fixture";

test("layout positions children inside their expanded box", () => {
  const m = buildModel(articleReuse());
  const l = layout(m, { expanded: new Set(["foo", "foo/bar"]), showVarEdges: false });
  const box = l.items.get(scopeId(m.scopeByPath.get("foo")!))!;
  for (const id of l.children.get(box.scope)!) {
    const it = l.items.get(id)!;
    assert.ok(it.x >= box.x && it.x + it.w <= box.x + box.w + 0.5, `${id} inside horizontally`);
    assert.ok(it.y >= box.y && it.y + it.h <= box.y + box.h + 0.5, `${id} inside vertically`);
  }
  assert.ok(l.width > 0 && l.height > 0);
  for (const e of l.edges) assert.ok(e.points.length >= 2);
});

test("a very wide rank is folded into rows", () => {
  const m = buildModel(wide(250));
  const l = layout(m, { expanded: new Set(["wide"]), showVarEdges: false });
  const box = l.items.get(scopeId(m.scopeByPath.get("wide")!))!;
  assert.ok(box.w <= MAX_ROW_W + 200, `box width ${box.w}`);
  const ys = new Set(l.children.get(box.scope)!.map((id) => Math.round(l.items.get(id)!.y)));
  assert.ok(ys.size > 2, "several rows");
  for (const e of l.edges) assert.ok(e.points.length >= 2);
});
