// Pure view logic (no DOM): what a selection resolves to, which scopes must open for it
// and its call sites to be visible, which drawn item stands for it, and which nodes stay
// pinned in boxes over the children cap. The controller (app.ts) only applies the results.

import type { Finding } from "./contract";
import type { AuxSets } from "./aux";
import { itemOfScope } from "./decorate";
import type { Layout } from "./layout";
import { type Model, nearestScope, parentPath } from "./model";
import type { Selection, ViewState } from "./state";

/** A node name that is also a variable selects the variable; names that are gone resolve to null. */
export function resolveSelection(m: Model, sel: NonNullable<Selection>): Selection {
  if (m.varByName.has(sel.name) && sel.kind !== "scope")
    return { kind: "variable", name: sel.name };
  if (sel.kind === "node" && !m.nodeByName.has(sel.name)) {
    return m.scopeByPath.has(sel.name) ? { kind: "scope", name: sel.name } : null;
  }
  if (sel.kind === "scope" && !m.scopeByPath.has(sel.name)) return null;
  return sel;
}

/** The scopes to open so that `path` (and, with `includeSelf`, its contents) is drawn. */
export function chainPaths(m: Model, path: string, includeSelf: boolean): string[] {
  // Up the tree rather than up the path, so that a series around the scope opens too.
  const at = m.scopeByPath.get(path);
  const out: string[] = [];
  let s = at === undefined ? nearestScope(m, path) : includeSelf ? at : m.scopes[at].parent;
  for (; s > 0; s = m.scopes[s].parent) {
    // Scopes without ops (Keras call-site names) are never drawn: skip them.
    if (m.scopes[s].totalOps > 0) out.unshift(m.scopes[s].path);
  }
  return out;
}

/** The scopes to open for a selection and every call site of a selected variable to be visible. */
export function revealPaths(m: Model, sel: NonNullable<Selection>): string[] {
  if (sel.kind === "variable") {
    const v = m.variables[m.varByName.get(sel.name) ?? -1];
    if (!v) return [];
    const out = v.node >= 0 ? chainPaths(m, m.scopes[m.nodeScope[v.node]].path, true) : [];
    for (const u of v.uses)
      out.push(...chainPaths(m, m.scopes[nearestScope(m, u.call_site)].path, false));
    return out;
  }
  if (sel.kind === "node") {
    // An op not sent yet (in a closed scope of a cut graph): as far down its path as is known.
    const n = m.nodeByName.get(sel.name);
    return chainPaths(
      m,
      n === undefined ? parentPath(sel.name) : m.scopes[m.nodeScope[n]].path,
      true,
    );
  }
  return chainPaths(m, sel.name, false);
}

/** The scopes to open for every variable of a finding to be visible. */
export function findingPaths(m: Model, f: Finding): string[] {
  const out: string[] = [];
  for (const name of f.variables) {
    const vi = m.varByName.get(name);
    if (vi === undefined) continue;
    const v = m.variables[vi];
    if (v.node >= 0) out.push(...chainPaths(m, m.scopes[m.nodeScope[v.node]].path, true));
    else out.push(...chainPaths(m, v.owner_scope, false));
  }
  return out;
}

/** Share of a box's ops that one child must hold to be opened on the first view. */
export const DOMINANT = 0.8;

/**
 * The scopes opened on the first view, so that it is not one box: from the top, the child
 * that holds most of its box's ops (at least DOMINANT of them), again and again. A lone
 * scope is the plain case; a PyTorch model's class scope beside its small `input` and
 * `output` scopes, or a slim `resnet_v1_50` beside its loss, is the common one. A box that
 * holds one scope and nothing else is opened on the way through (the wrapper module that
 * add_graph needs around a transformers model: `Logits/GPT2LMHeadModel[model]/...`); a box
 * of one op is left closed. Machinery set at the side (`aux`) does not count: the model's
 * own chain is opened.
 */
export function autoExpandPaths(m: Model, aux?: AuxSets): string[] {
  const out: string[] = [];
  for (let s = 0; ;) {
    const sc = m.scopes[s];
    const subs = sc.children.filter((c) => m.scopes[c].totalOps > 0 && !aux?.scopes[c]);
    const ops = sc.ops.filter((n) => !aux?.nodes[n]).length;
    const total = subs.reduce((k, c) => k + m.scopes[c].totalOps, ops);
    // A series is a summary of alike members, not a part to read first: it stays folded.
    const big = subs.find((c) => m.scopes[c].totalOps >= DOMINANT * total && !m.scopes[c].series);
    if (big === undefined || (m.scopes[big].children.length === 0 && m.scopes[big].ops.length < 2))
      break;
    s = big;
    out.push(m.scopes[s].path);
  }
  return out;
}

/** Expanded scopes after toggling `path`: collapsing also forgets everything opened inside it. */
export function toggleExpanded(expanded: Set<string>, path: string): Set<string> {
  const next = new Set(expanded);
  if (!next.has(path)) return next.add(path);
  for (const p of expanded) if (p === path || p.startsWith(path + "/")) next.delete(p);
  return next;
}

/**
 * Expanded scopes after the user toggles scope `s` as drawn (`open`). A series is drawn
 * open while one of its members is (visible.ts), and its members' paths do not start with
 * its own: closing it forgets what was opened in each member.
 */
export function toggleScope(
  m: Model,
  expanded: Set<string>,
  s: number,
  open: boolean,
): Set<string> {
  const sc = m.scopes[s];
  if (!sc.series) {
    const asked = expanded.has(sc.path);
    const next = open === asked ? toggleExpanded(expanded, sc.path) : new Set(expanded);
    // A member's series stays open when the member closes.
    const parent = m.scopes[sc.parent];
    if (parent?.series) next.add(parent.path);
    return next;
  }
  if (!open) return new Set(expanded).add(sc.path);
  let next = new Set(expanded);
  next.delete(sc.path);
  for (const c of sc.children)
    if (next.has(m.scopes[c].path)) next = toggleExpanded(next, m.scopes[c].path);
  return next;
}

/** The drawn item that stands for the selection: itself, or the box that holds it. */
export function selectedItem(m: Model, l: Layout, sel: Selection): string | null {
  if (!sel) return null;
  if (sel.kind === "scope") return itemOfScope(m, l, m.scopeByPath.get(sel.name) ?? 0);
  const v = sel.kind === "variable" ? m.variables[m.varByName.get(sel.name)!] : undefined;
  const n = v ? v.node : m.nodeByName.get(sel.name);
  if (n !== undefined && n >= 0) return l.itemOfNode(n);
  if (!v) return null;
  // No node of its own (a Keras layer graph folds weights into the layer's node):
  // the op of the use that creates it stands for it.
  const creator = v.uses.find((u) => u.status === "created") ?? v.uses[0];
  for (const op of creator?.ops ?? []) {
    const c = m.nodeByName.get(op);
    if (c !== undefined) return l.itemOfNode(c);
  }
  return itemOfScope(m, l, nearestScope(m, v.owner_scope));
}

/** Nodes that must stay visible in boxes over the cap: the selection and a focused finding's variables. */
export function pinTargets(m: Model, sel: Selection, finding: number | null): number[] {
  const out: number[] = [];
  const varNode = (name: string) => {
    const vi = m.varByName.get(name);
    if (vi !== undefined && m.variables[vi].node >= 0) out.push(m.variables[vi].node);
  };
  if (sel?.kind === "node") {
    const n = m.nodeByName.get(sel.name);
    if (n !== undefined) out.push(n);
  } else if (sel?.kind === "variable") varNode(sel.name);
  if (finding !== null) for (const name of m.findings[finding]?.variables ?? []) varNode(name);
  return out.sort((a, b) => a - b);
}

/** What a layout is computed from: while it is unchanged, a redraw only redecorates. */
export function layoutKey(st: ViewState, pins: number[], pages: Map<string, number>): string {
  const open = [...st.expanded].sort().join("\n");
  return `${st.run}|${st.tag}|${st.source}|${st.machinery}|${st.showVarEdges}|${open}|${pins.join(",")}|${[...pages].join(";")}`;
}

/** The scopes that hold `nodes`, up to the top (the root excluded): their boxes keep them shown. */
export function scopesOfNodes(m: Model, nodes: number[]): Set<number> {
  const out = new Set<number>();
  for (const n of nodes) for (let x = m.nodeScope[n]; x > 0; x = m.scopes[x].parent) out.add(x);
  return out;
}
