import assert from "node:assert/strict";
import { test } from "node:test";
import { graphsLinkText } from "../src/panels/toolbar";

test("the Graphs dashboard link says which run (and tag) to pick there", () => {
  const run = { run: "gan", tag: "__run_graph__", source: "run_graph" };
  assert.equal(graphsLinkText(run), "Open Graphs dashboard (select run gan there)");
  const trace = { run: "tf2", tag: "train_step", source: "trace" };
  assert.equal(
    graphsLinkText(trace),
    "Open Graphs dashboard (select run tf2, tag train_step there)",
  );
});
