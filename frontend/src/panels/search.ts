// Search over op, scope and variable names. Results are computed on demand
// (substring match, capped) so typing stays fast on 100k-node graphs.

import { h } from "../dom";
import type { Model } from "../model";
import type { Selection } from "../state";

const MAX_RESULTS = 30;

export function searchModel(m: Model, query: string): NonNullable<Selection>[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const exact: NonNullable<Selection>[] = [];
  const prefix: NonNullable<Selection>[] = [];
  const rest: NonNullable<Selection>[] = [];
  const add = (sel: NonNullable<Selection>) => {
    const n = sel.name.toLowerCase();
    if (n === q) exact.push(sel);
    else if (n.startsWith(q)) prefix.push(sel);
    else if (n.includes(q)) rest.push(sel);
  };
  for (const v of m.variables) add({ kind: "variable", name: v.name });
  for (const sc of m.scopes) if (sc.path) add({ kind: "scope", name: sc.path });
  const nodes = m.nodeNames;
  for (let i = 0; i < nodes.length; i++) {
    if (m.nodeVar[i] >= 0) continue; // listed as a variable already
    add({ kind: "node", name: nodes[i] });
    if (exact.length + prefix.length >= MAX_RESULTS) break;
  }
  return [...exact, ...prefix, ...rest].slice(0, MAX_RESULTS);
}

export function buildSearch(
  getModel: () => Model | null,
  onPick: (s: NonNullable<Selection>) => void,
): HTMLElement {
  const input = h("input", {
    type: "search",
    placeholder: "Search ops, scopes, variables",
    "aria-label": "search",
  });
  const list = h("ul", { role: "listbox", hidden: true });
  let results: NonNullable<Selection>[] = [];
  let active = 0;
  const pick = (sel: NonNullable<Selection>) => {
    list.hidden = true;
    input.value = sel.name;
    onPick(sel);
  };
  const show = () => {
    const m = getModel();
    results = m ? searchModel(m, input.value) : [];
    active = 0;
    list.replaceChildren();
    results.forEach((r, i) => {
      const li = h(
        "li",
        {
          role: "option",
          class: i === active ? "active" : null,
          "data-kind": r.kind,
          "data-name": r.name,
        },
        h("span", { class: "k" }, r.kind === "node" ? "op" : r.kind),
        r.name,
      );
      li.addEventListener("mousedown", (e) => {
        e.preventDefault(); // keep focus so blur does not hide the list first
        pick(r);
      });
      list.append(li);
    });
    list.hidden = results.length === 0;
  };
  input.addEventListener("input", show);
  input.addEventListener("focus", show);
  input.addEventListener("blur", () => (list.hidden = true));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && results.length) pick(results[active]);
    else if (e.key === "Escape") list.hidden = true;
    else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!results.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      [...list.children].forEach((c, i) => c.classList.toggle("active", i === active));
    }
  });
  return h("div", { class: "search" }, input, list);
}
