import assert from "node:assert/strict";
import { test } from "node:test";
import { MAP_H, MAP_W, fromMap, mapFrame, toMap, visibleWorld } from "../src/minimap";

test("the map frame fits the drawing in the minimap and maps back", () => {
  const b = { x: -100, y: 50, w: 4000, h: 1000 };
  const f = mapFrame(b);
  const tl = toMap({ x: b.x, y: b.y }, f);
  const br = toMap({ x: b.x + b.w, y: b.y + b.h }, f);
  assert.deepEqual(tl, { x: f.pad, y: f.pad });
  assert.ok(br.x <= MAP_W - f.pad + 1e-9 && br.y <= MAP_H - f.pad + 1e-9);
  const back = fromMap(toMap({ x: 1234, y: 567 }, f), f);
  assert.ok(Math.abs(back.x - 1234) < 1e-9 && Math.abs(back.y - 567) < 1e-9);
});

test("the visible world rectangle follows pan and zoom", () => {
  assert.deepEqual(visibleWorld({ k: 2, tx: -200, ty: 100 }, 800, 600), {
    x: 100,
    y: -50,
    w: 400,
    h: 300,
  });
});
