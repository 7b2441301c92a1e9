// Trace inputs: every op upstream of the selected one (its transitive data inputs, and
// the variables those ops read), so the user sees what a value is computed from. Pure:
// no DOM; the predecessor lists are built once per model.

import { edgeKey, liftEdge } from "./edgelabels";
import type { LayoutInput } from "./visible";
import type { Model } from "./model";

/** Predecessors of every node in compressed form: node n's are from[start[n] .. start[n + 1]). */
interface Preds {
  start: Int32Array;
  from: Int32Array;
}

const cache = new WeakMap<Model, Preds>();

function preds(m: Model): Preds {
  const hit = cache.get(m);
  if (hit) return hit;
  const e = m.edges;
  const n = m.nodeNames.length;
  const start = new Int32Array(n + 1);
  for (let k = 1; k < e.length; k += 2) if (e[k] < n) start[e[k] + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const from = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let k = 0; k + 1 < e.length; k += 2) {
    const dst = e[k + 1];
    if (dst < n) from[fill[dst]++] = e[k];
  }
  const out = { start, from };
  cache.set(m, out);
  return out;
}

/** The last answer; callers only read it. */
let last: { m: Model; node: number; set: Set<number> } | null = null;

/**
 * Node indexes upstream of `node`, itself left out: reached backwards along data edges,
 * plus the variable node of every variable read on the way (reads are not edges in the
 * contract: graph.reads). Iterative, so a 100k-op chain does not overflow the stack.
 */
export function upstream(m: Model, node: number): Set<number> {
  // Asked for by the decoration and the details panel on every redraw: keep the last answer.
  if (last && last.m === m && last.node === node) return last.set;
  const { start, from } = preds(m);
  const seen = new Set<number>([node]);
  const stack = [node];
  const visit = (x: number) => {
    if (x < 0 || x >= start.length - 1 || seen.has(x)) return;
    seen.add(x);
    stack.push(x);
  };
  while (stack.length) {
    const x = stack.pop()!;
    for (let k = start[x]; k < start[x + 1]; k++) visit(from[k]);
    for (const [v] of m.nodeReads.get(x) ?? []) visit(m.variables[v]?.node ?? -1);
  }
  seen.delete(node);
  last = { m, node, set: seen };
  return seen;
}

/**
 * Drawn edges (edgeKey(from, to)) that stand for at least one graph edge of the trace:
 * between two upstream nodes, or from one into the selected node. They stay lit while
 * the rest is dimmed, so the path a value takes can be followed.
 */
export function tracedEdges(m: Model, l: LayoutInput, node: number): Set<string> {
  const up = upstream(m, node);
  const e = m.edges;
  const out = new Set<string>();
  const inTrace = (x: number) => x === node || up.has(x);
  for (let k = 0; k + 1 < e.length; k += 2) {
    const src = e[k];
    const dst = e[k + 1];
    if (!up.has(src) || !inTrace(dst)) continue;
    const pair = liftEdge(m, l, l.itemOfNode(src), l.itemOfNode(dst));
    if (pair) out.add(edgeKey(pair[0], pair[1]));
  }
  return out;
}
