// A cut graph (frontier.py) holds the contents of the scopes the server was asked to open;
// every other scope is a stub. Before the tab draws a scope open, selects an op or shows a
// finding inside a stub, it asks the server (the `drawing` route) for a cut with more scopes
// open. Pure: which paths need opening, and what to ask for. The controller (app.ts) fetches.

import { type Model, isCut, nearestScope, parentPath } from "./model";
import type { ViewState } from "./state";

/** The paths among `paths` that lie in or at a stub: the server must open them first. */
export function unopened(m: Model, paths: Iterable<string>): string[] {
  const out: string[] = [];
  if (!isCut(m)) return out;
  for (const p of paths) {
    for (let s = nearestScope(m, p); s > 0; s = m.scopes[s].parent) {
      if (m.scopes[s].stub) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

/**
 * Every path the view state needs drawn: the open scopes, where the selection sits (an op's
 * scope, or the op itself when it is named like a scope; a scope's box; a variable's node and
 * the boxes of its call sites) and the variables of the focused finding.
 */
export function wantedPaths(m: Model, st: ViewState): string[] {
  const out = [...st.expanded];
  const variable = (name: string) => {
    out.push(name); // its node, named like the variable (a TF graph; a Keras one has none)
    const v = m.variables[m.varByName.get(name) ?? -1];
    if (!v) return;
    out.push(v.owner_scope);
    for (const u of v.uses) out.push(parentPath(u.call_site));
  };
  const sel = st.selection;
  if (sel?.kind === "node") out.push(sel.name);
  else if (sel?.kind === "scope") out.push(parentPath(sel.name));
  else if (sel?.kind === "variable") variable(sel.name);
  if (st.finding !== null)
    for (const name of m.findings[st.finding]?.variables ?? []) variable(name);
  return out;
}

/** The paths to ask open: the deepest ones only, since the server opens their ancestors too. */
export function deepest(paths: Iterable<string>): string[] {
  const all = [...new Set(paths)].filter((p) => p !== "");
  const above = new Set<string>();
  for (const p of all) for (let q = parentPath(p); q !== ""; q = parentPath(q)) above.add(q);
  return all.filter((p) => !above.has(p)).sort();
}
