// Colours and highlights of the visible items for the current state: which
// status or owner tint each item gets, which call sites light up for the
// selected variable, which variables a focused finding marks. Pure: no DOM.

import { type Layout } from "./layout";
import { moreId, nodeId, scopeId } from "./visible";
import {
  type Model,
  nearestScope,
  nodeType,
  nodeStatus,
  ownerOfNode,
  ownerOfScope,
  scopeStatus,
} from "./model";
import type { Decoration } from "./render";
import type { ViewState } from "./state";
import { upstream } from "./trace";

/**
 * The colour of the i-th owner scope in "colour by owner scope" mode. Hues step by the
 * golden angle, so any number of owners get distinct colours and neighbours differ most;
 * reds (hue 335-25) are skipped since red means "possible missed sharing" in this tab.
 */
export function ownerColour(i: number): string {
  const RED_FROM = 335;
  const RED_TO = 25;
  const hue = RED_TO + ((i * 137.508) % (RED_FROM - RED_TO)); // only hues that are not red
  // Three lightness bands tell apart owners whose hues come close again after many steps.
  const light = [42, 55, 34][Math.floor(i / 3) % 3];
  return `hsl(${hue.toFixed(1)} 70% ${light}%)`;
}

/** The visible item for a scope: itself, the "+N more" of its box, or its nearest visible ancestor. */
export function itemOfScope(m: Model, l: Layout, s: number): string | null {
  for (let x = s; x > 0; x = m.scopes[x].parent) {
    if (l.items.has(scopeId(x))) return scopeId(x);
    const parent = m.scopes[x].parent;
    // Hidden by the cap of its (open) parent's box.
    if (l.children.has(parent) && l.items.has(moreId(parent))) return moreId(parent);
  }
  return null;
}

export function decorate(m: Model, l: Layout, st: ViewState, selected: string | null): Decoration {
  const d: Decoration = {
    status: new Map(),
    tint: new Map(),
    highlight: new Map(),
    selected: null,
    names: new Map(),
    sub: new Map(),
  };
  const colourOf = new Map(m.owners.map((o, i) => [o, ownerColour(i)]));
  for (const it of l.items.values()) {
    if (it.kind === "scope") {
      const sc = m.scopes[it.scope];
      d.names.set(it.id, sc.path);
      // A series' line was made by the layout (Item.note), which sized the box for it.
      d.sub.set(
        it.id,
        it.note || `${sc.totalOps.toLocaleString("en-US")} op${sc.totalOps === 1 ? "" : "s"}`,
      );
      if (it.expanded) continue;
      if (st.color === "status") {
        const st = scopeStatus(m, it.scope);
        if (st !== "none") d.status.set(it.id, st);
      } else if (st.color === "owner") {
        const o = ownerOfScope(m, it.scope);
        if (o !== null) d.tint.set(it.id, colourOf.get(o)!);
      }
    } else if (it.kind === "more") {
      d.names.set(it.id, `${m.scopes[it.scope].path}/${it.label}`);
    } else {
      d.names.set(it.id, m.nodeNames[it.node]);
      d.sub.set(it.id, nodeType(m, it.node));
      if (st.color === "status") {
        const st = nodeStatus(m, it.node);
        if (st !== "none") d.status.set(it.id, st);
      } else if (st.color === "owner") {
        const o = ownerOfNode(m, it.node);
        if (o !== null) d.tint.set(it.id, colourOf.get(o)!);
      }
    }
  }
  const sel = st.selection;
  d.selected = selected;
  const mark = (id: string | null, how: string) => {
    if (!id) return;
    const prev = d.highlight.get(id);
    if (prev === "created" || prev === "finding") return; // created wins over reused
    d.highlight.set(id, how);
  };
  if (sel?.kind === "variable") {
    const v = m.variables[m.varByName.get(sel.name)!];
    for (const u of v.uses) {
      mark(itemOfScope(m, l, nearestScope(m, u.call_site)), u.status);
      for (const op of u.ops) {
        const n = m.nodeByName.get(op);
        if (n !== undefined) {
          const id = l.itemOfNode(n);
          if (id === nodeId(n)) mark(id, u.status);
        }
      }
    }
  }
  if (st.trace && sel?.kind === "node") {
    // Trace inputs: every visible item holding an op upstream of the selected one.
    const n = m.nodeByName.get(sel.name);
    for (const u of n === undefined ? [] : upstream(m, n)) {
      const id = l.itemOfNode(u);
      if (id !== selected && !d.highlight.has(id)) d.highlight.set(id, "trace");
    }
  }
  if (st.finding !== null) {
    for (const name of m.findings[st.finding]?.variables ?? []) {
      const vi = m.varByName.get(name);
      if (vi === undefined) continue;
      const v = m.variables[vi];
      const id =
        v.node >= 0 ? l.itemOfNode(v.node) : itemOfScope(m, l, nearestScope(m, v.owner_scope));
      if (id) d.highlight.set(id, "finding");
    }
  }
  return d;
}
