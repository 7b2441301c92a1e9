// TypeScript mirror of docs/contract.md (version 1). Key names must match the
// backend exactly: tests/test_contract_mirror.py parses this file (one
// `export interface` per contract object, one field per line) and compares.

export const CONTRACT_VERSION = 1;

export type GraphSource = "run_graph" | "trace" | "keras_model";

/** GET runs */
export interface RunsResponse {
  contract_version: number;
  runs: RunEntry[];
}

export interface RunEntry {
  run: string;
  graphs: GraphEntry[];
}

export interface GraphEntry {
  tag: string;
  source: string;
}

/** GET graph?run=R&tag=T[&source=S] */
export interface GraphResponse {
  contract_version: number;
  run: string;
  tag: string;
  source: string;
  kind: string;
  variables: Variable[];
  findings: Finding[];
  scopes: ScopeParams[];
  graph: DrawingData;
  stats: Stats;
}

export interface Variable {
  name: string;
  owner_scope: string;
  status: string;
  shape: number[] | null;
  dtype: string | null;
  params: number | null;
  node: number;
  findings: number[];
  uses: Use[];
}

export interface Use {
  call_site: string;
  status: string;
  ops: string[];
}

export interface Finding {
  kind: string;
  confidence: string;
  variables: string[];
  message: string;
  evidence: string[];
}

export interface ScopeParams {
  name: string;
  params_owned: number;
  params_used: number;
}

export interface DrawingData {
  nodes: string[];
  ops: number[];
  op_types: string[];
  edges: number[];
  reads: number[];
}

export interface Stats {
  ops_in_graph: number;
  nodes_drawn: number;
  helpers_folded: number;
}

/** Body of every 4xx answer (a type alias, not a contract object). */
export type ErrorBody = { error: string };
