// What an op is: its attributes, its inputs with the shapes they carry, and the shapes
// of its outputs, fetched from the `node` route when the op is selected (the `graph`
// body stays small: it carries no attributes). Answers are kept, so rebuilding the
// side panel after a redraw shows them at once instead of fetching again.

import { errorText, fetchNode } from "../api";
import type { NodeResponse } from "../contract";
import { h, link } from "../dom";
import { type GraphInfo, type Model, parentPath } from "../model";
import type { Selection } from "../state";

const KEPT = 64; // answers kept (one per op clicked); each is a few hundred bytes
const SHOWN = 50; // inputs listed before "… N more"

type Entry = { done: NodeResponse | string | null; wait: Promise<void> };
// Answers per loaded graph (its model's `info`, new on every load): a graph loaded again,
// rewritten on the server, never shows the answers of the one before.
const answersOf = new WeakMap<GraphInfo, Map<string, Entry>>();

function entry(m: Model, name: string): Entry {
  const r = m.info;
  let answers = answersOf.get(r);
  if (!answers) answersOf.set(r, (answers = new Map()));
  const hit = answers.get(name);
  if (hit) {
    answers.delete(name); // most recently used last
    answers.set(name, hit);
    return hit;
  }
  const kept = answers;
  const e: Entry = { done: null, wait: Promise.resolve() };
  e.wait = fetchNode(r.run, r.tag, r.source, name).then(
    (body) => void (e.done = body),
    (err: unknown) => {
      e.done = errorText(err);
      kept.delete(name); // shown once; the next selection asks again
    },
  );
  answers.set(name, e);
  while (answers.size > KEPT) answers.delete(answers.keys().next().value!);
  return e;
}

/**
 * The drawn item an input stands for: the op itself, or the variable a folded helper
 * belongs to (`dense/weights/read` is drawn as `dense/weights`).
 */
export function drawnInput(m: Model, name: string): Selection {
  if (m.nodeByName.has(name)) return { kind: "node", name };
  for (let p = name; p !== ""; p = parentPath(p)) {
    if (m.varByName.has(p)) return { kind: "variable", name: p };
  }
  // A trace's captured placeholder, drawn under another name: its variable keeps it as an alias.
  const v = m.variables.find((x) => x.aliases.includes(name));
  return v ? { kind: "variable", name: v.name } : null;
}

/** A section that fills itself with the op's details once the answer is in. */
export function opDetails(
  m: Model,
  name: string,
  select: (sel: NonNullable<Selection>) => void,
): HTMLElement {
  const box = h("div", { class: "op-details", "data-state": "loading" });
  const e = entry(m, name);
  const fill = () => {
    const d = e.done;
    if (d === null) return;
    box.setAttribute("data-state", typeof d === "string" ? "error" : "ready");
    box.replaceChildren(
      ...(typeof d === "string" ? [h("div", { class: "note" }, d)] : parts(m, d, select)),
    );
  };
  if (e.done !== null) fill();
  else {
    box.append(h("div", { class: "empty" }, "Loading attributes…"));
    void e.wait.then(fill);
  }
  return box;
}

function parts(
  m: Model,
  d: NodeResponse,
  select: (sel: NonNullable<Selection>) => void,
): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (d.outputs.length) {
    const dl = h("dl", { class: "outputs" });
    d.outputs.forEach((shape, port) =>
      dl.append(h("dt", {}, `output ${port}`), h("dd", { "data-port": port }, shape)),
    );
    out.push(h("h3", { style: "margin-top:10px" }, "Output shapes"), dl);
  }
  if (d.inputs.length) {
    const ul = h("ul", { class: "inputs" });
    for (const inp of d.inputs.slice(0, SHOWN)) {
      const target = drawnInput(m, inp.variable || inp.name);
      const label = inp.port > 0 ? `${inp.name}:${inp.port}` : inp.name;
      ul.append(
        h(
          "li",
          { "data-input": inp.name },
          target ? link(label, () => select(target), { title: target.name }) : label,
          inp.shape ? h("span", { class: "shape" }, ` ${inp.shape}`) : null,
        ),
      );
    }
    if (d.inputs.length > SHOWN)
      ul.append(h("li", { class: "empty" }, `… ${d.inputs.length - SHOWN} more`));
    out.push(h("h3", { style: "margin-top:10px" }, `Inputs (${d.inputs.length})`), ul);
  }
  if (d.control_inputs.length) {
    const ul = h("ul", { class: "control-inputs" });
    for (const c of d.control_inputs.slice(0, SHOWN)) {
      const target = drawnInput(m, c);
      ul.append(h("li", {}, target ? link(c, () => select(target)) : c));
    }
    out.push(
      h("h3", { style: "margin-top:10px" }, `Control inputs (${d.control_inputs.length})`),
      ul,
    );
  }
  const attrs = h("dl", { class: "attrs" });
  for (const a of d.attrs) {
    attrs.append(h("dt", {}, a.key), h("dd", { "data-attr": a.key, title: a.value }, a.value));
  }
  out.push(
    h("h3", { style: "margin-top:10px" }, `Attributes (${d.attrs.length})`),
    d.attrs.length ? attrs : h("div", { class: "empty" }, "None."),
  );
  return out;
}
