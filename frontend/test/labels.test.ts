import assert from "node:assert/strict";
import { test } from "node:test";
import { STATUS_MEANING, STATUS_WORD, callSites, drawnStatus, statusText } from "../src/labels";
import { buildModel } from "../src/model";
import { articleReuse } from "./fixture";

test("one word per category, and the legend's meaning starts with it", () => {
  for (const k of ["created", "reused", "shared", "missed", "unused"] as const)
    assert.ok(STATUS_MEANING[k].startsWith(STATUS_WORD[k]), k);
  assert.equal(callSites(0), "never read");
  assert.equal(callSites(1), "1 call site");
  assert.equal(callSites(2), "2 call sites");
});

test("the status line names what each count counts", () => {
  assert.equal(
    statusText({
      drawn: 21,
      modelNodes: 90,
      setAside: 278,
      opsInGraph: 488,
      helpersFolded: 120,
      variables: 8,
    }),
    "21 items drawn of 90 nodes · 278 training-machinery nodes set aside · 488 ops in the graph (120 helpers folded) · 8 variables",
  );
  assert.equal(
    statusText({
      drawn: 1,
      modelNodes: 1,
      setAside: 0,
      opsInGraph: 1,
      helpersFolded: 0,
      variables: 1,
    }),
    "1 item drawn of 1 node · 1 op in the graph (0 helpers folded) · 1 variable",
  );
  assert.equal(
    statusText({
      drawn: 30,
      modelNodes: 368,
      setAside: 0,
      atTheSide: 278,
      opsInGraph: 488,
      helpersFolded: 120,
      variables: 8,
    }),
    "30 items drawn of 368 nodes · 278 training-machinery nodes at the side · 488 ops in the graph (120 helpers folded) · 8 variables",
  );
});

test("the status line of a model counts its nodes, ops and variables", () => {
  const m = buildModel(articleReuse());
  assert.equal(
    drawnStatus(m, 3, 0),
    "3 items drawn of 7 nodes · 23 ops in the graph (16 helpers folded) · 1 variable",
  );
  assert.ok(drawnStatus(m, 3, 5).includes(" · 5 training-machinery nodes set aside · "));
});
