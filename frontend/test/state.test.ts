import assert from "node:assert/strict";
import { test } from "node:test";
import { hashFromState, initialState, stateFromHash } from "../src/state";
import { choiceFor, graphWords } from "../src/panels/picker";

test("reads TensorBoard's plugin keys from the hash", () => {
  const st = stateFromHash(
    "#scopes&p.scopes.run=gan&p.scopes.tag=__run_graph__&p.scopes.node=dense%2Fweights",
  );
  assert.equal(st.run, "gan");
  assert.equal(st.tag, "__run_graph__");
  assert.deepEqual(st.selection, { kind: "node", name: "dense/weights" });
  assert.equal(st.color, "status");
});

test("state -> hash -> state round trip, odd characters included", () => {
  const st = initialState();
  st.run = "keras/train & more";
  st.tag = "keras";
  st.source = "keras_model";
  st.selection = { kind: "scope", name: "a,b/<c>%" };
  st.expanded = new Set(["tower", "tower/hidden", "we,ird%2F"]);
  st.color = "owner";
  st.showVarEdges = true;
  const hash = hashFromState(st);
  assert.ok(hash.startsWith("#scopes&p.scopes.run="));
  const back = stateFromHash(hash);
  assert.equal(back.run, st.run);
  assert.equal(back.tag, st.tag);
  assert.equal(back.source, st.source);
  assert.deepEqual(back.selection, st.selection);
  assert.deepEqual([...back.expanded].sort(), [...st.expanded].sort());
  assert.equal(back.color, "owner");
  assert.equal(back.showVarEdges, true);
});

test("variables are written as p.scopes.node; other keys are kept", () => {
  const st = initialState();
  st.run = "article_reuse";
  st.selection = { kind: "variable", name: "dense/weights" };
  const hash = hashFromState(st, "#scopes&foo=1&p.scopes.run=old");
  assert.equal(hash, "#scopes&foo=1&p.scopes.run=article_reuse&p.scopes.node=dense%2Fweights");
});

test("malformed escapes are ignored, not thrown", () => {
  const st = stateFromHash("#scopes&p.scopes.run=%E0%A4%A&p.scopes.tag=t");
  assert.equal(st.run, null);
  assert.equal(st.tag, "t");
});

test("the picker names graphs in words, not by internal tags", () => {
  assert.equal(graphWords({ run: "gan", tag: "__run_graph__", source: "run_graph" }), "run graph");
  assert.equal(graphWords({ run: "t", tag: "train_step", source: "trace" }), "trace train_step");
  assert.equal(graphWords({ run: "k/train", tag: "keras", source: "keras_model" }), "Keras model");
});

test("trace inputs is kept in the URL as p.scopes.trace=1, and left out when off", () => {
  const st = initialState();
  st.selection = { kind: "node", name: "tower_1/embed/MatMul" };
  assert.ok(!hashFromState(st).includes("trace"));
  st.trace = true;
  const hash = hashFromState(st);
  assert.ok(hash.includes("&p.scopes.trace=1"));
  assert.equal(stateFromHash(hash).trace, true);
  assert.equal(stateFromHash("#scopes&p.scopes.trace=0").trace, false);
});

test("a state picks the graph it names; one that names none takes the first and drops what it opened", () => {
  const choices = [
    { run: "a", tag: "__run_graph__", source: "run_graph" },
    { run: "b", tag: "step", source: "trace" },
    { run: "b", tag: "keras", source: "keras_model" },
  ];
  const st = initialState();
  st.run = "b";
  st.source = "keras_model";
  st.selection = { kind: "node", name: "dense/MatMul" };
  assert.equal(choiceFor(choices, st), choices[2]);
  assert.deepEqual(st.selection, { kind: "node", name: "dense/MatMul" });
  st.run = "gone";
  st.expanded = new Set(["dense"]);
  assert.equal(choiceFor(choices, st), choices[0]);
  assert.equal(st.selection, null);
  assert.equal(st.expanded.size, 0);
});
