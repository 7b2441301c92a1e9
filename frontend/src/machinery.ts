// Training machinery (optimizer, gradients, metrics, checkpointing, summaries) is
// set aside by default, as the Graphs dashboard moves such nodes out of the model:
// the backend marks every node with its role (docs/contract.md, graph.roles).
// Pure, so it is unit tested under node.

import type { GraphResponse } from "./contract";

const SET_ASIDE = new Set(["machinery", "gradient"]);

/** True for the roles drawn apart from the model (graph.role_names). */
export function isMachineryRole(role: string | undefined): boolean {
  return role !== undefined && SET_ASIDE.has(role);
}

/**
 * Per drawn node: true when it is set aside. Its role says so, or it is the node of a
 * variable the response lists under `machinery` (TF1 Adam's beta1_power is drawn with
 * the role `variable`, yet it is an optimizer counter, not a model weight).
 */
function setAside(resp: GraphResponse): boolean[] {
  const g = resp.graph;
  const names = new Set((resp.machinery ?? []).map((v) => v.name));
  return g.nodes.map(
    (name, i) => SET_ASIDE.has(g.role_names[g.roles?.[i] ?? -1]) || names.has(name),
  );
}

/** How many nodes are training machinery or gradients (a cut graph's stub counts its ops). */
export function machineryCount(resp: GraphResponse): number {
  const g = resp.graph;
  const weight = new Map<number, number>();
  const st = g.stubs ?? [];
  for (let k = 0; k + 2 < st.length; k += 3) weight.set(st[k], st[k + 1]);
  return setAside(resp).reduce((n, aside, i) => n + (aside ? (weight.get(i) ?? 1) : 0), 0);
}

/** A copy of the response whose drawing keeps only the model's own nodes (indexes remapped). */
export function withoutMachinery(resp: GraphResponse): GraphResponse {
  const g = resp.graph;
  const aside = setAside(resp);
  if (!aside.includes(true)) return resp;
  const keep = new Int32Array(g.nodes.length).fill(-1);
  const nodes: string[] = [];
  const ops: number[] = [];
  const roles: number[] = [];
  g.nodes.forEach((name, i) => {
    if (aside[i]) return;
    keep[i] = nodes.length;
    nodes.push(name);
    ops.push(g.ops[i]);
    roles.push(g.roles?.[i] ?? 0);
  });
  const edges: number[] = [];
  const edgeShapes: number[] = [];
  const edgeCounts: number[] = [];
  for (let k = 0; k + 1 < g.edges.length; k += 2) {
    const a = keep[g.edges[k]];
    const b = keep[g.edges[k + 1]];
    if (a < 0 || b < 0) continue;
    edges.push(a, b);
    edgeShapes.push(g.edge_shapes?.[k / 2] ?? 0);
    edgeCounts.push(g.edge_counts?.[k / 2] ?? 1);
  }
  // A cut graph's stubs and whole-graph ids follow their nodes (contract graph.stubs, ids).
  const stubs: number[] = [];
  const stubLevels: number[] = [];
  const st = g.stubs ?? [];
  for (let k = 0; k + 2 < st.length; k += 3)
    if (keep[st[k]] >= 0) {
      stubs.push(keep[st[k]], st[k + 1], st[k + 2]);
      stubLevels.push(g.stub_levels?.[k / 3] ?? 0);
    }
  const cut = g.ids
    ? {
        ids: g.ids.filter((_, i) => keep[i] >= 0),
        aside: g.aside?.filter((_, i) => keep[i] >= 0),
        edge_counts: edgeCounts,
        stubs,
        stub_levels: stubLevels,
      }
    : {};
  const reads: number[] = [];
  for (let k = 0; k + 2 < g.reads.length; k += 3) {
    const node = keep[g.reads[k]];
    if (node >= 0) reads.push(node, g.reads[k + 1], g.reads[k + 2]);
  }
  // A cut graph's variables count their nodes in the whole graph (ids): those stay.
  const variables = g.ids
    ? resp.variables
    : resp.variables.map((v) => ({ ...v, node: v.node >= 0 ? keep[v.node] : -1 }));
  return {
    ...resp,
    variables,
    graph: { ...g, nodes, ops, roles, edges, edge_shapes: edgeShapes, reads, ...cut },
  };
}
