// Search over op, scope and variable names. Results are computed on demand
// (substring match, capped) so typing stays fast on 100k-node graphs.

import { h } from "../dom";
import { type Model, isCut } from "../model";
import type { Selection } from "../state";

/** Search hits the server finds in the whole graph (a cut graph's model holds only part of it). */
export type RemoteSearch = (query: string) => Promise<NonNullable<Selection>[]>;

/** Wait this long after a keystroke before asking the server, so typing stays one request. */
const REMOTE_DELAY_MS = 150;

const MAX_RESULTS = 30;

export function searchModel(m: Model, query: string): NonNullable<Selection>[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const found: NonNullable<Selection>[] = [];
  let early = 0; // exact and prefix hits: enough of them ends the scan of a 100k-node list
  const add = (sel: NonNullable<Selection>, aliases: string[] = []) => {
    const n = sel.name.toLowerCase();
    if (!n.includes(q) && !aliases.some((a) => a.toLowerCase().includes(q))) return;
    found.push(sel);
    if (n.startsWith(q)) early++;
  };
  // By an alias too: a trace's placeholder is drawn under its variable's name (drawing.py).
  for (const v of m.variables) add({ kind: "variable", name: v.name }, v.aliases);
  for (const sc of m.scopes) if (sc.path) add({ kind: "scope", name: sc.path });
  const nodes = m.nodeNames;
  for (let i = 0; i < nodes.length; i++) {
    if (m.nodeVar[i] >= 0) continue; // listed as a variable already
    if (m.scopes[m.nodeScope[i]].stub) continue; // a closed scope's placeholder: listed as the scope
    add({ kind: "node", name: nodes[i] });
    if (early >= MAX_RESULTS) break;
  }
  return ranked(q, found);
}

/** Exact names first, then names that start with the query, then the rest; at most MAX_RESULTS. */
function ranked(query: string, found: NonNullable<Selection>[]): NonNullable<Selection>[] {
  const q = query.trim().toLowerCase();
  const rank = (s: NonNullable<Selection>) => {
    const n = s.name.toLowerCase();
    return n === q ? 0 : n.startsWith(q) ? 1 : 2;
  };
  return found
    .map((s, i) => ({ s, r: rank(s), i }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.s)
    .slice(0, MAX_RESULTS);
}

export function buildSearch(
  getModel: () => Model | null,
  onPick: (s: NonNullable<Selection>) => void,
  remote?: RemoteSearch,
): HTMLElement {
  const input = h("input", {
    type: "search",
    placeholder: "Search ops, scopes, variables",
    "aria-label": "search",
  });
  const list = h("ul", { role: "listbox", hidden: true });
  let results: NonNullable<Selection>[] = [];
  let active = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pick = (sel: NonNullable<Selection>) => {
    list.hidden = true;
    input.value = sel.name;
    onPick(sel);
  };
  const show = () => {
    const m = getModel();
    results = m ? searchModel(m, input.value) : [];
    active = 0;
    render();
    clearTimeout(timer);
    if (!remote || !m || !isCut(m) || !input.value.trim()) return;
    // Ops in closed scopes are not in the model: the server searches the whole graph.
    const asked = input.value;
    timer = setTimeout(() => {
      remote(asked).then(
        (found) => {
          if (input.value !== asked || getModel() !== m) return;
          const seen = new Set(results.map((r) => `${r.kind}|${r.name}`));
          const more = found.filter((r) => !seen.has(`${r.kind}|${r.name}`));
          results = ranked(asked, [...results, ...more]);
          render();
        },
        (err: unknown) => {
          if (input.value !== asked) return;
          list.append(
            h("li", { class: "error" }, `Search in closed scopes failed: ${String(err)}`),
          );
          list.hidden = false;
        },
      );
    }, REMOTE_DELAY_MS);
  };
  const render = () => {
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
