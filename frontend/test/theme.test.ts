import assert from "node:assert/strict";
import { test } from "node:test";
import { themeOf } from "../src/theme";

const classes = (...names: string[]) => ({ contains: (t: string) => names.includes(t) });

test("TensorBoard's dark-mode body class means dark, its absence light", () => {
  assert.equal(themeOf(classes("dark-mode")), "dark");
  assert.equal(themeOf(classes("mat-typography")), "light");
});
