import assert from "node:assert/strict";
import { test } from "node:test";
import { RELOAD_MESSAGES, parseHostMessage, replyTo } from "../src/host";
import { openGraphChange } from "../src/reload";

const model = { run: "model", tag: "__run_graph__", source: "run_graph", version: "0@1.5" };

test("the open graph listed with the same version has not changed", () => {
  const other = { run: "second", tag: "__run_graph__", source: "run_graph", version: "0@9" };
  assert.deepEqual(openGraphChange(model, [model, other]), { kind: "same" });
});

test("the open graph listed with another version is offered as newer", () => {
  const newer = { ...model, version: "0@7.25" };
  assert.deepEqual(openGraphChange(model, [newer]), { kind: "newer", choice: newer });
});

test("the open graph no longer listed is gone; another source of one tag is another graph", () => {
  assert.deepEqual(openGraphChange(model, []), { kind: "gone" });
  const trace = { ...model, source: "trace" };
  assert.deepEqual(openGraphChange(model, [trace]), { kind: "gone" });
});

test("a listing without versions never claims a newer graph", () => {
  const { version: _v, ...unversioned } = model;
  assert.deepEqual(openGraphChange(model, [unversioned]), { kind: "same" });
});

test("host messages: reload signals parse, replies echo type and id", () => {
  const m = parseHostMessage(
    JSON.stringify({ type: RELOAD_MESSAGES[0], id: 3, payload: null, error: null, isReply: false }),
  );
  assert.ok(m);
  assert.equal(m.type, "experimental.DataReloaded");
  assert.equal(m.isReply, false);
  assert.deepEqual(JSON.parse(replyTo(m)), {
    type: "experimental.DataReloaded",
    id: 3,
    payload: null,
    error: null,
    isReply: true,
  });
});

test("host messages: anything else is ignored", () => {
  assert.equal(parseHostMessage("experimental.bootstrap"), null);
  assert.equal(parseHostMessage({ type: "x", id: 1 }), null);
  assert.equal(parseHostMessage(JSON.stringify({ type: "x" })), null);
  assert.equal(parseHostMessage("{not json"), null);
});
