// Pure model: turns the contract's columnar `graph` into a scope tree with the
// per-scope aggregates the tab needs (which variables a scope reads, which of
// those reads are reuses, which variables it owns). No DOM here so it can be
// unit tested under node and stays fast on 100k-op graphs (flat arrays, one pass).

import type {
  Finding,
  GraphResponse,
  GraphSource,
  GraphWarning,
  MachineryVariable,
  Role,
  ScopeParams,
  Use,
  Variable,
} from "./contract";
import { foldScopes } from "./series";

export interface Scope {
  index: number;
  /** Full path ("" for the root). */
  path: string;
  /** Last path segment (shown as the box label). */
  name: string;
  parent: number; // -1 for the root
  depth: number;
  /** Sub-scopes in order of first appearance. */
  children: number[];
  /** Direct ops (node indexes) of this scope. */
  ops: number[];
  /** Number of ops in this scope and below (shown on collapsed boxes). */
  totalOps: number;
  /** Variables read by ops in this subtree -> true when any such read is a reuse. */
  reads: Map<number, boolean>;
  /** For a series of alike siblings (series.ts): how many members it folds; else null. */
  series: { members: number } | null;
  /**
   * A scope the server has not sent the contents of (a stub of a cut graph, frontier.py):
   * it holds one placeholder node standing for everything below it, and opening it asks the
   * server for a new cut first (app.ts).
   */
  stub: boolean;
  /** A stub: how many levels of scopes below it hold ops (contract graph.stub_levels); else 0. */
  levelsBelow: number;
}

/** Colour category of a variable or a call site. */
export type Status = "created" | "reused" | "shared" | "missed" | "unused" | "none";

/** Graph-level facts of the response: what it is and how big, for labels and file names. */
export interface GraphInfo {
  run: string;
  tag: string;
  source: GraphSource;
  kind: GraphResponse["kind"];
  framework: GraphResponse["framework"];
  names: GraphResponse["names"];
  totalParams: number;
  opsInGraph: number;
  helpersFolded: number;
}

/**
 * The graph as every other module reads it. model.ts is the only reader of the response
 * (`resp` is for this module alone; tests/test_frontend_unit.py keeps it so), so that a
 * model built from the server's scope tree (the `children` route) can stand in later.
 */
export interface Model {
  /** The response as the backend sent it: read in model.ts only. */
  resp: GraphResponse;
  info: GraphInfo;
  variables: readonly Variable[];
  findings: readonly Finding[];
  warnings: readonly GraphWarning[];
  /** Optimizer slots, metrics, seed states: not model weights (contract `machinery`). */
  machineryVariables: readonly MachineryVariable[];
  /** Drawn node names, by node index. */
  nodeNames: readonly string[];
  /** Data edges as flat src, dst pairs of node indexes; edge k is at 2k, 2k + 1. */
  edges: ArrayLike<number>;
  scopes: Scope[];
  scopeByPath: Map<string, number>;
  /** node index -> scope index of the scope that directly contains it. */
  nodeScope: Int32Array;
  /** node index -> variable index (or -1) for variable nodes. */
  nodeVar: Int32Array;
  /** node index -> reads of that node as [variable, reused] pairs. */
  nodeReads: Map<number, Array<[number, boolean]>>;
  nodeByName: Map<string, number>;
  varByName: Map<string, number>;
  /** variable index -> the scope that owns it (its owner scope, or the nearest one drawn). */
  varScope: Int32Array;
  /** scope index -> worst status of the variables owned in and below it (STATUS_RANK). */
  ownedRank: Uint8Array;
  /** Distinct owner scopes, sorted; index = colour slot in "owner" mode. */
  owners: string[];
  /**
   * Scope index -> owner scope of the first variable used at a call site in
   * or below it; node index -> owner of the first variable it uses (from
   * `uses[].ops`). Built from uses, not raw reads, so optimizer updates and
   * gradient scopes are not tinted as call sites.
   */
  scopeCallOwner: Map<number, string>;
  opCallOwner: Map<number, string>;
}

/** Parent path of a scope/node path ("a/b/c" -> "a/b", "a" -> ""). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function buildModel(resp: GraphResponse): Model {
  const g = resp.graph;
  const n = g.nodes.length;
  const scopes: Scope[] = [];
  const scopeByPath = new Map<string, number>();
  const mkScope = (path: string, parent: number): number => {
    const index = scopes.length;
    const i = path.lastIndexOf("/");
    scopes.push({
      index,
      path,
      name: i < 0 ? path : path.slice(i + 1),
      parent,
      depth: parent < 0 ? 0 : scopes[parent].depth + 1,
      children: [],
      ops: [],
      totalOps: 0,
      reads: new Map(),
      series: null,
      stub: false,
      levelsBelow: 0,
    });
    scopeByPath.set(path, index);
    if (parent >= 0) scopes[parent].children.push(index);
    return index;
  };
  mkScope("", -1);

  // Walks/creates the scope chain of a path; parents are always created before
  // children, so scope indexes are in topological (pre-)order.
  const ensureScope = (path: string): number => {
    const hit = scopeByPath.get(path);
    if (hit !== undefined) return hit;
    const parent = ensureScope(parentPath(path));
    return mkScope(path, parent);
  };

  // A cut graph's stubs (contract graph.stubs): node -> [ops below, structure key, levels below].
  const stubs = new Map<number, [number, string, number]>();
  const st = g.stubs ?? [];
  for (let k = 0; k + 2 < st.length; k += 3)
    stubs.set(st[k], [st[k + 1], g.stub_keys?.[st[k + 2]] ?? "", g.stub_levels?.[k / 3] ?? 0]);
  const nodeScope = new Int32Array(n);
  const nodeByName = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (stubs.has(i)) {
      // The placeholder is named by its scope's path: it makes the scope and lives inside it.
      const s = ensureScope(g.nodes[i]);
      scopes[s].stub = true;
      scopes[s].levelsBelow = stubs.get(i)![2];
      scopes[s].totalOps = stubs.get(i)![0] - 1; // its own node is added below
      continue;
    }
    nodeByName.set(g.nodes[i], i);
    ensureScope(parentPath(g.nodes[i]));
  }
  // An op named like a scope ("Adam" beside "Adam/update_w/...") goes inside that
  // scope: one box stands for both, as in the Graphs dashboard, which keeps such an
  // op in its group as "Adam/(Adam)" (GroupNode.getRootOp in tf_graph_common).
  for (let i = 0; i < n; i++) {
    const name = g.nodes[i];
    const s = scopeByPath.get(name) ?? scopeByPath.get(parentPath(name))!;
    nodeScope[i] = s;
    scopes[s].ops.push(i);
  }
  // Scopes created for call sites / owners that have no drawn node of their
  // own are still useful as highlight targets, so create them too (not inside a stub,
  // whose contents the server has not sent: the stub stands for them).
  const ensureOutsideStubs = (path: string) => {
    if (path && !scopes[nearestIn(scopeByPath, path)].stub) ensureScope(path);
  };
  for (const v of resp.variables) {
    ensureOutsideStubs(v.owner_scope);
    for (const u of v.uses) ensureOutsideStubs(u.call_site);
  }
  // totalOps bottom-up: children have higher indexes than their parents.
  for (let s = scopes.length - 1; s >= 0; s--) {
    const sc = scopes[s];
    sc.totalOps += sc.ops.length;
    if (sc.parent >= 0) scopes[sc.parent].totalOps += sc.totalOps;
  }
  // Runs of alike siblings (`block0` … `block999`) fold into a series scope of their own.
  const stubKey = new Map<number, string>();
  for (const [node, [, key]] of stubs) stubKey.set(nodeScope[node], key);
  const structure = (s: number) => {
    const known = stubKey.get(s);
    if (known !== undefined) return known; // the server's, made by the same rule
    const sc = scopes[s];
    const drawn = sc.children.filter((c) => scopes[c].totalOps > 0).length;
    return `${sc.totalOps}|${drawn}|${kindsKey(sc.ops.map((i) => g.op_types[g.ops[i]] ?? ""))}`;
  };
  // A cut graph numbers its nodes anew; `variables[].node` counts in the whole graph (graph.ids).
  const variables = g.ids ? localVariables(resp.variables, g.ids) : resp.variables;
  // Leaf ops fold by type and role (series.ts opEntries). Never folded: a stub; a variable's node
  // and an op that reads a variable (each use is what the tab is for); and a Keras model's layers,
  // whose chain is the model (InceptionV3's 94 `conv2d` layers would become one box with every
  // edge looping into it).
  const unfolded = new Set<number>(stubs.keys());
  for (const v of variables) if (v.node >= 0) unfolded.add(v.node);
  for (let k = 0; k + 2 < g.reads.length; k += 3) unfolded.add(g.reads[k]);
  const folded = foldScopes(
    scopes,
    structure,
    (f) => ({ ...f, reads: new Map(), stub: false, levelsBelow: 0 }),
    (p) => scopeByPath.has(p),
    resp.kind === "keras_model"
      ? undefined
      : {
          name: (i) => g.nodes[i].slice(g.nodes[i].lastIndexOf("/") + 1),
          key: (i) =>
            unfolded.has(i) ? null : `${g.op_types[g.ops[i]] ?? ""}|${g.roles?.[i] ?? ""}`,
        },
  );
  scopes.length = 0;
  for (const sc of folded.scopes) scopes.push(sc);
  scopeByPath.clear();
  for (const sc of scopes) scopeByPath.set(sc.path, sc.index);
  for (let i = 0; i < n; i++) nodeScope[i] = folded.renumbered[nodeScope[i]];
  for (const [node, series] of folded.moved) nodeScope[node] = series;
  const nodeVar = new Int32Array(n).fill(-1);
  const varByName = new Map<string, number>();
  variables.forEach((v, i) => {
    varByName.set(v.name, i);
    if (v.node >= 0 && v.node < n) nodeVar[v.node] = i;
  });

  const nodeReads = new Map<number, Array<[number, boolean]>>();
  const r = g.reads;
  for (let k = 0; k + 2 < r.length; k += 3) {
    const node = r[k];
    const v = r[k + 1];
    const reused = r[k + 2] === 1;
    if (node < 0 || node >= n || v < 0 || v >= resp.variables.length) continue;
    let list = nodeReads.get(node);
    if (!list) nodeReads.set(node, (list = []));
    list.push([v, reused]);
    // Aggregate up the scope chain so a collapsed box knows what it reads.
    for (let s = nodeScope[node]; s >= 0; s = scopes[s].parent) {
      const prev = scopes[s].reads.get(v);
      scopes[s].reads.set(v, prev === true || reused);
    }
  }

  const varScope = new Int32Array(resp.variables.length);
  const ownedRank = new Uint8Array(scopes.length);
  variables.forEach((v, i) => {
    varScope[i] = nearestIn(scopeByPath, v.owner_scope);
    const st = variableStatus(v, resp.findings);
    const rank = STATUS_RANK.indexOf(st === "unused" ? "created" : st); // as before: a box is never "unused"
    for (let s = varScope[i]; s >= 0 && ownedRank[s] < rank; s = scopes[s].parent)
      ownedRank[s] = rank;
  });
  const owners = [...new Set(resp.variables.map((v) => v.owner_scope))].sort();
  const scopeCallOwner = new Map<number, string>();
  const opCallOwner = new Map<number, string>();
  for (const v of resp.variables) {
    for (const u of v.uses) {
      for (let sc = nearestIn(scopeByPath, u.call_site); sc > 0; sc = scopes[sc].parent) {
        if (!scopeCallOwner.has(sc)) scopeCallOwner.set(sc, v.owner_scope);
      }
      for (const op of u.ops) {
        const n = nodeByName.get(op);
        if (n !== undefined && !opCallOwner.has(n)) opCallOwner.set(n, v.owner_scope);
      }
    }
  }
  const stats = resp.stats;
  return {
    resp,
    info: {
      run: resp.run,
      tag: resp.tag,
      source: resp.source,
      kind: resp.kind,
      framework: resp.framework,
      names: resp.names,
      totalParams: resp.total_params,
      opsInGraph: stats.ops_in_graph,
      helpersFolded: stats.helpers_folded,
    },
    variables,
    findings: resp.findings,
    warnings: resp.warnings,
    machineryVariables: resp.machinery ?? [],
    nodeNames: g.nodes,
    edges: g.edges,
    scopes,
    scopeByPath,
    nodeScope,
    nodeVar,
    nodeReads,
    nodeByName,
    varByName,
    varScope,
    ownedRank,
    owners,
    scopeCallOwner,
    opCallOwner,
  };
}

/** `variables` with `node` counted among a cut graph's nodes (-1 when not among them). */
function localVariables(variables: readonly Variable[], ids: readonly number[]): Variable[] {
  const local = new Map<number, number>();
  ids.forEach((id, i) => id >= 0 && local.set(id, i));
  return variables.map((v) => ({ ...v, node: local.get(v.node) ?? -1 }));
}

/**
 * Sorted kinds of ops with their counts ("AddN*2000,Const"), the last part of a structure
 * key: tb_scopes_plugin/series.py kinds_key writes the same for the stubs of a cut graph.
 */
export function kindsKey(types: string[]): string {
  const count = new Map<string, number>();
  for (const t of types) count.set(t, (count.get(t) ?? 0) + 1);
  return [...count.keys()]
    .sort()
    .map((t) => (count.get(t) === 1 ? t : `${t}*${count.get(t)}`))
    .join(",");
}

/** A cut graph's nodes set at the side, as the server decided on the whole graph (graph.aside). */
export function asideOf(m: Model): Uint8Array | null {
  const a = m.resp.graph.aside;
  return a && a.length === m.nodeNames.length ? Uint8Array.from(a) : null;
}

/** True when the model is a cut of a larger graph (frontier.py: the response has `graph.stubs`). */
export function isCut(m: Model): boolean {
  return m.resp.graph.stubs !== undefined;
}

/** How many edges of the whole graph data edge k stands for (a cut lifts them to its stubs). */
export function edgeCount(m: Model, k: number): number {
  return m.resp.graph.edge_counts?.[k] ?? 1;
}

/** How many ops node n stands for: a stub's below it, else 1. */
export function opsOfNode(m: Model, n: number): number {
  const sc = m.scopes[m.nodeScope[n]];
  return sc.stub ? sc.totalOps : 1;
}

/** How many nodes of the whole graph the model stands for: a stub counts those below it. */
export function wholeNodeCount(m: Model): number {
  let k = 0;
  for (let n = 0; n < m.nodeNames.length; n++) k += opsOfNode(m, n);
  return k;
}

/** Ops below the stubs of a cut graph: what the server has not sent yet. */
export function opsInStubs(m: Model): number {
  let k = 0;
  for (const sc of m.scopes) if (sc.stub) k += sc.totalOps;
  return k;
}

/** How many nodes a response draws, before a model is built from it (the progress line). */
export function drawnNodeCount(resp: GraphResponse): number {
  return resp.graph.nodes.length;
}

/** A node's op type (a Keras layer's class). */
export function nodeType(m: Model, node: number): string {
  const g = m.resp.graph;
  return g.op_types[g.ops[node]] ?? "";
}

/** A node's role: compute, pass, variable, machinery or gradient (contract `graph.roles`). */
export function nodeRole(m: Model, node: number): Role | undefined {
  const g = m.resp.graph;
  return g.roles ? g.role_names[g.roles[node]] : undefined;
}

/** The tensor shape data edge k carries, as text ("[?, 4]"); "" when the graph does not say. */
export function edgeShape(m: Model, k: number): string {
  const g = m.resp.graph;
  return g.shape_names?.[g.edge_shapes?.[k] ?? 0] ?? "";
}

/** The variables a node reads, as [variable index, reused] pairs. */
export function readsOf(m: Model, node: number): ReadonlyArray<[number, boolean]> {
  return m.nodeReads.get(node) ?? [];
}

/** Every call site of a variable: created first, then reuses (contract `uses`). */
export function usesOf(m: Model, variable: number): readonly Use[] {
  return m.variables[variable]?.uses ?? [];
}

/** The sub-scopes and direct ops of a scope, as drawn. */
export function childrenOf(m: Model, scope: number): { scopes: number[]; ops: number[] } {
  const sc = m.scopes[scope];
  return { scopes: sc.children, ops: sc.ops };
}

/** Unique parameters owned and used in a scope (contract `scopes`), or null when unknown. */
export function scopeParams(m: Model, path: string): ScopeParams | null {
  return m.resp.scopes.find((p) => p.name === path) ?? null;
}

/** Variables this node reads that were created in another scope (reuses). */
export function nodeReuses(m: Model, node: number): number[] {
  return (m.nodeReads.get(node) ?? []).filter(([, reused]) => reused).map(([v]) => v);
}

/**
 * Variables a (collapsed) scope reuses: read inside it as a reuse and created
 * outside it. A scope that contains both the creator and the reuser shows no
 * badge since, seen from outside, nothing crosses its boundary.
 */
export function scopeReuses(m: Model, scope: number): number[] {
  const sc = m.scopes[scope];
  const out: number[] = [];
  for (const [v, reused] of sc.reads) {
    if (reused && !contains(m, scope, m.varScope[v])) out.push(v);
  }
  return out;
}

/** True when scope `inner` is `outer` or lies inside it, walking the tree: a series holds its members. */
export function contains(m: Model, outer: number, inner: number): boolean {
  for (let x = inner; x >= 0; x = m.scopes[x].parent) if (x === outer) return true;
  return false;
}

/** Colour category of a variable (the overlay legend). Only a finding of severity
 * `bug` paints it as one; a note (alike layers in a stack) leaves its colour alone. */
export function variableStatus(v: Variable, findings: readonly Finding[] = []): Status {
  if (v.findings.some((i) => findings[i]?.severity === "bug")) return "missed";
  if (v.status === "unused") return "unused";
  if (v.status === "shared") return "shared";
  return "created";
}

/** Colour category of an op node. */
export function nodeStatus(m: Model, node: number): Status {
  const v = m.nodeVar[node];
  if (v >= 0) return variableStatus(m.resp.variables[v], m.resp.findings);
  const reads = m.nodeReads.get(node);
  if (!reads) return "none";
  return reads.some(([, r]) => r) ? "reused" : "created";
}

/** Colour category of a collapsed scope: worst of what it reuses or owns. */
export function scopeStatus(m: Model, scope: number): Status {
  if (m.ownedRank[scope] === STATUS_RANK.indexOf("missed")) return "missed";
  if (scopeReuses(m, scope).length > 0) return "reused";
  return STATUS_RANK[m.ownedRank[scope]];
}

/** A collapsed scope's colour from what it owns, least to most telling. */
const STATUS_RANK: readonly Status[] = ["none", "created", "shared", "missed"];

/** The owner scope whose colour tints this item in "owner" mode (or null). */
export function ownerOfNode(m: Model, node: number): string | null {
  const v = m.nodeVar[node];
  if (v >= 0) return m.resp.variables[v].owner_scope;
  return m.opCallOwner.get(node) ?? null;
}

export function ownerOfScope(m: Model, scope: number): string | null {
  return m.scopeCallOwner.get(scope) ?? null;
}

/** Deepest existing scope at or above `path` (call sites may lack drawn ops). */
export function nearestScope(m: Model, path: string): number {
  return nearestIn(m.scopeByPath, path);
}

function nearestIn(scopeByPath: Map<string, number>, path: string): number {
  for (let p = path; ; p = parentPath(p)) {
    const s = scopeByPath.get(p);
    if (s !== undefined) return s;
    if (p === "") return 0;
  }
}

/** A series' members: how many, ops in each, and how many create or reuse variables. */
export interface SeriesSummary {
  members: number;
  opsEach: number;
  creating: number;
  reusing: number;
  /** A series of leaf ops: their op type; null for a series of scopes. */
  opType: string | null;
}

export function seriesSummary(m: Model, scope: number): SeriesSummary | null {
  const sc = m.scopes[scope];
  if (!sc.series) return null;
  const kids = sc.children;
  if (!kids.length)
    // A run of leaf ops (series.ts opEntries): none of them is a variable or reads one (buildModel).
    return {
      members: sc.ops.length,
      opsEach: 1,
      creating: 0,
      reusing: 0,
      opType: sc.ops.length ? nodeType(m, sc.ops[0]) : "",
    };
  return {
    members: kids.length,
    opsEach: kids.length ? m.scopes[kids[0]].totalOps : 0,
    creating: kids.filter((c) => m.ownedRank[c] > 0).length,
    reusing: kids.filter((c) => scopeReuses(m, c).length > 0).length,
    opType: null,
  };
}

/** The second line of a series' box: "1,000 members · 1,000 reuse". */
export function seriesLine(s: SeriesSummary): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const parts = [`${n(s.members)} members`];
  if (s.creating && s.reusing) parts.push(`${n(s.creating)} create, ${n(s.reusing)} reuse`);
  else if (s.creating) parts.push(`${n(s.creating)} create`);
  else if (s.reusing) parts.push(`${n(s.reusing)} reuse`);
  return parts.join(" · ");
}
