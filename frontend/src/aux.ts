// Training machinery as auxiliary nodes: the Graphs dashboard draws nodes that
// are not part of the main data flow in an "auxiliary nodes" area at the side of
// each box, with their edges cut and summarised (tf_graph_common's
// extractHighDegrees / "Remove from main graph" in the graph plugin). We do the
// same for what the backend marks as machinery or gradient (graph.roles): in
// every open box, machinery children go to a column on the right, collapsed,
// each saying how many edges link it to the model instead of drawing them.
// Pure (no DOM), unit tested under node.

import { isMachineryRole } from "./machinery";
import { type Model, asideOf, nodeRole } from "./model";

/**
 * Per node: 1 when it is training machinery or a gradient (its role), or when it
 * belongs to a piece of the graph that only talks to machinery: an optimizer's
 * learning-rate constants, its final NoOp, its beta-power accumulators have no
 * machinery role of their own, but, cut off from the machinery, they form
 * pieces that neither hold nor read a model weight.
 */
export function auxNodes(m: Model): Uint8Array {
  // A cut graph's pieces are not the whole graph's: the server decided on the whole one.
  const decided = asideOf(m);
  if (decided) return decided;
  const n = m.nodeNames.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (isMachineryRole(nodeRole(m, i))) out[i] = 1;
  }
  // Connected pieces of the rest (union-find with path halving).
  const up = new Int32Array(n).map((_, i) => i);
  const find = (x: number) => {
    while (up[x] !== x) x = up[x] = up[up[x]];
    return x;
  };
  const e = m.edges;
  for (let k = 0; k + 1 < e.length; k += 2) {
    const a = e[k];
    const b = e[k + 1];
    if (a < n && b < n && !out[a] && !out[b]) up[find(a)] = find(b);
  }
  const touchesAux = new Uint8Array(n);
  for (let k = 0; k + 1 < e.length; k += 2) {
    const a = e[k];
    const b = e[k + 1];
    if (a >= n || b >= n || out[a] === out[b]) continue;
    touchesAux[find(out[a] ? b : a)] = 1;
  }
  const model = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!out[i] && (m.nodeVar[i] >= 0 || m.nodeReads.has(i))) model[find(i)] = 1;
  }
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (!out[i] && touchesAux[r] && !model[r]) out[i] = 1;
  }
  return out;
}

/**
 * Per scope: 1 when it holds machinery and no model op. An op with no drawn edge
 * that holds and reads no weight (the optimizer's own NoOp, which is also the
 * scope's name: "d_adam" in "d_adam/...") does not make a scope part of the model.
 */
export function auxScopes(m: Model, nodes: Uint8Array): Uint8Array {
  const n = nodes.length;
  const linked = new Uint8Array(n);
  const e = m.edges;
  for (let k = 0; k + 1 < e.length; k += 2) {
    if (e[k] < n && e[k + 1] < n) linked[e[k]] = linked[e[k + 1]] = 1;
  }
  const model = new Int32Array(m.scopes.length); // model ops in and below each scope
  const aux = new Int32Array(m.scopes.length); // machinery ops in and below each scope
  for (let i = 0; i < n; i++) {
    if (nodes[i]) aux[m.nodeScope[i]]++;
    else if (linked[i] || m.nodeVar[i] >= 0 || m.nodeReads.has(i)) model[m.nodeScope[i]]++;
  }
  // Children have higher indexes than their parents (model.ts builds them top-down).
  for (let s = m.scopes.length - 1; s > 0; s--) {
    model[m.scopes[s].parent] += model[s];
    aux[m.scopes[s].parent] += aux[s];
  }
  const out = new Uint8Array(m.scopes.length);
  for (let s = 1; s < m.scopes.length; s++) if (aux[s] > 0 && model[s] === 0) out[s] = 1;
  return out;
}

/** Which nodes and scopes to set at the side, for the layout. */
export interface AuxSets {
  nodes: Uint8Array;
  scopes: Uint8Array;
}

export function auxSets(m: Model): AuxSets {
  const nodes = auxNodes(m);
  return { nodes, scopes: auxScopes(m, nodes) };
}

/** Space between the model's area of a box and its machinery column. */
export const AUX_GAP = 48;
/** Space between two machinery items in the column. */
export const AUX_ROW_GAP = 12;

/**
 * Places the machinery items of one box in a column right of the model items
 * (both in the box's own coordinates, model items already placed). Returns the
 * column's outline, or null when there is nothing to place.
 */
export function placeColumn(
  model: Array<{ x: number; y: number; w: number; h: number }>,
  aux: Array<{ x: number; y: number; w: number; h: number }>,
): { x: number; y: number; w: number; h: number } | null {
  if (aux.length === 0) return null;
  let right = 0;
  let top = 0;
  for (const it of model) {
    right = Math.max(right, it.x + it.w);
    top = Math.min(top, it.y);
  }
  const x = model.length ? right + AUX_GAP : 0;
  let y = top;
  let w = 0;
  for (const it of aux) {
    it.x = x;
    it.y = y;
    y += it.h + AUX_ROW_GAP;
    w = Math.max(w, it.w);
  }
  return { x, y: top, w, h: y - AUX_ROW_GAP - top };
}
