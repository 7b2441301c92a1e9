import assert from "node:assert/strict";
import { test } from "node:test";
import { findingScopes, splitNames } from "../src/textlinks";

const NAMES = new Set(["tower/hidden/bias", "tower_1/hidden/bias", "embed.weight", "w."]);

test("names inside an evidence line become their own pieces, punctuation stays text", () => {
  const p = splitNames("tower/hidden/bias, tower_1/hidden/bias: same shape [8]", NAMES);
  assert.deepEqual(p, [
    { text: "tower/hidden/bias", name: "tower/hidden/bias" },
    { text: ", " },
    { text: "tower_1/hidden/bias", name: "tower_1/hidden/bias" },
    { text: ": same shape [8]" },
  ]);
  assert.equal(
    p.map((x) => x.text).join(""),
    "tower/hidden/bias, tower_1/hidden/bias: same shape [8]",
  );
});

test("whole names only, and names that end in punctuation", () => {
  assert.deepEqual(splitNames("tower/hidden/bias_2 and tower/hidden", NAMES), [
    { text: "tower/hidden/bias_2 and tower/hidden" },
  ]);
  assert.deepEqual(splitNames("(embed.weight).", NAMES), [
    { text: "(" },
    { text: "embed.weight", name: "embed.weight" },
    { text: ")." },
  ]);
  assert.deepEqual(splitNames("see w.", NAMES), [{ text: "see " }, { text: "w.", name: "w." }]);
  assert.deepEqual(splitNames("", NAMES), []);
});

test("a finding's scopes: its variables' owners and their ancestors", () => {
  const owner = new Map([
    ["tower/embed/w", "tower/embed"],
    ["tower_1/embed/w", "tower_1/embed"],
    ["root_w", ""],
  ]);
  assert.deepEqual(
    [
      ...findingScopes(["tower/embed/w", "tower_1/embed/w", "root_w", "gone"], (n) => owner.get(n)),
    ].sort(),
    ["tower", "tower/embed", "tower_1", "tower_1/embed"],
  );
});
