import assert from "node:assert/strict";
import { test } from "node:test";
import type { StatusEntry } from "../src/contract";
import { progressText } from "../src/progress";

const entry = (over: Partial<StatusEntry>): StatusEntry => ({
  run: "big",
  tag: "__run_graph__",
  source: "run_graph",
  state: "analysing",
  stage: "analysing",
  stage_label: "resolving variable reads",
  progress: 0.62,
  ...over,
});

test("an analysing graph shows its percentage and its stage in words", () => {
  assert.equal(
    progressText(entry({})),
    "Analysing big / __run_graph__ on the server… 62% · resolving variable reads",
  );
});

test("a graph that is not being analysed shows no progress line", () => {
  assert.equal(progressText(entry({ state: "ready", stage: null, progress: null })), null);
  assert.equal(progressText(entry({ state: "waiting" })), null);
  assert.equal(progressText(undefined), null);
});

test("an analysis that has not reached its first stage says so without a number", () => {
  assert.equal(
    progressText(entry({ stage: null, stage_label: null, progress: null })),
    "Analysing big / __run_graph__ on the server…",
  );
});
