// TypeScript mirror of docs/contract.md (version 2). Key names and enum values
// must match the backend exactly: tests/test_contract_mirror.py parses this file
// (one `export interface` per contract object, one field per line; one
// `export type X = "a" | "b"` per enum) and compares both with what Python writes.

export const CONTRACT_VERSION = 2;

export type GraphSource = "run_graph" | "trace" | "keras_model";
export type GraphKind = "op_graph" | "keras_model";
export type Framework = "tensorflow" | "keras" | "pytorch";
export type Names = "real" | "derived";
export type VariableStatus = "shared" | "unshared" | "unused";
export type UseStatus = "created" | "reused";
export type FindingKind = "possible_missed_sharing" | "same_name_distinct_variables";
export type Confidence = "high" | "low";
export type Severity = "bug" | "note";
export type Role = "compute" | "pass" | "variable" | "machinery" | "gradient";
export type MachineryKind =
  | "optimizer"
  | "regularizer"
  | "moving_average"
  | "checkpoint"
  | "summary"
  | "init"
  | "metric"
  | "rng"
  | "write"
  | "counter"
  | "buffer";

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
  source: GraphSource;
  /** Opaque; changes when the graph is written again. */
  version: string;
}

/** GET graph?run=R&tag=T[&source=S] */
export interface GraphResponse {
  contract_version: number;
  run: string;
  tag: string;
  source: GraphSource;
  kind: GraphKind;
  framework: Framework;
  names: Names;
  variables: Variable[];
  machinery: MachineryVariable[];
  findings: Finding[];
  warnings: GraphWarning[];
  total_params: number;
  scopes: ScopeParams[];
  graph: DrawingData;
  stats: Stats;
}

export interface Variable {
  name: string;
  aliases: string[];
  owner_scope: string;
  status: VariableStatus;
  trainable: boolean | null;
  shape: number[] | null;
  dtype: string | null;
  params: number | null;
  node: number;
  findings: number[];
  uses: Use[];
}

export interface Use {
  call_site: string;
  call: number;
  status: UseStatus;
  updated_only: boolean;
  ops: string[];
}

export interface MachineryVariable {
  name: string;
  kind: MachineryKind;
  shape: number[] | null;
  dtype: string | null;
}

export interface Finding {
  kind: FindingKind;
  confidence: Confidence;
  severity: Severity;
  label: string;
  variables: string[];
  message: string;
  evidence: string[];
  fix: string;
}

export interface GraphWarning {
  kind: string;
  count: number;
  message: string;
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
  roles: number[];
  role_names: Role[];
  edges: number[];
  /** Per edge pair, index into shape_names: the shape the edge carries. */
  edge_shapes: number[];
  /** Distinct shape texts ("[?, 4]"); the first is "", unknown. */
  shape_names: string[];
  reads: number[];
  /** A cut graph (frontier.py): per node, its index in the whole graph; -1 for a stub. */
  ids?: number[];
  /** A cut graph: per edge pair, how many edges of the whole graph it stands for. */
  edge_counts?: number[];
  /** A cut graph: flat node, ops below, stub_keys index triples, one per closed scope. */
  stubs?: number[];
  /** A cut graph: the stubs' distinct structure keys (series.ts). */
  stub_keys?: string[];
  /** A cut graph: per stub, in the order of `stubs`, how many levels of scopes below it hold ops. */
  stub_levels?: number[];
  /** A cut graph: per node, 1 when the tab sets it at the side (aux.ts), decided on the whole graph. */
  aside?: number[];
}

/** GET drawing?run=R&tag=T&open=P&open=Q: the drawing data cut with more scopes open. */
export interface DrawingResponse {
  contract_version: number;
  run: string;
  tag: string;
  source: GraphSource;
  graph: DrawingData;
}

export interface Stats {
  ops_in_graph: number;
  nodes_drawn: number;
  helpers_folded: number;
}

/** GET status */
export interface StatusResponse {
  contract_version: number;
  graphs: StatusEntry[];
}

export interface StatusEntry {
  run: string;
  tag: string;
  source: GraphSource;
  state: AnalysisState;
  /** While analysing: the stage it is at; else null. */
  stage: AnalysisStage | null;
  /** That stage in words ("resolving variable reads"); else null. */
  stage_label: string | null;
  /** Share of the work done when the stage started, 0..1; else null. */
  progress: number | null;
}

export type AnalysisState = "waiting" | "analysing" | "ready" | "unreadable";
export type AnalysisStage = "reading" | "analysing" | "findings" | "drawing" | "encoding";

/** GET children?run=R&tag=T&scope=S[&series=B&offset=N] */
export interface ChildrenResponse {
  scope: string;
  series: string | null;
  total: number;
  offset: number;
  items: Array<ScopeItem | SeriesItem | OpItem>;
  /** [from item id, to item id, how many op-level edges] */
  edges: Array<[string, string, number]>;
}

export interface ScopeItem {
  id: string;
  kind: "scope";
  path: string;
  name: string;
  ops: number;
  owned: number;
  reuses: number[];
  status: string;
  has_children: boolean;
}

export interface SeriesItem {
  id: string;
  kind: "series";
  path: string;
  name: string;
  series: string;
  members: number;
  ops: number;
  creating: number;
  reusing: number;
  /** A series of ops: its members' op type; null for a series of scopes. */
  type: string | null;
  status: string;
}

export interface OpItem {
  id: string;
  kind: "op";
  node: number;
  name: string;
  type: string;
}

/** GET search?run=R&tag=T&q=Q */
export interface SearchResponse {
  query: string;
  total: number;
  results: SearchResult[];
}

export interface SearchResult {
  kind: "variable" | "scope" | "op";
  name: string;
  path: string;
  node?: number;
  /** The series that hide it, outermost first: [scope, series] pairs to expand with `children`. */
  series: [string, string][];
}

/** GET node?run=R&tag=T&name=N[&source=S] */
export interface NodeResponse {
  contract_version: number;
  run: string;
  tag: string;
  source: GraphSource;
  name: string;
  type: string;
  attrs: NodeAttr[];
  inputs: NodeInput[];
  control_inputs: string[];
  /** Shape text of each output, by port; [] when the graph does not say. */
  outputs: string[];
}

export interface NodeAttr {
  key: string;
  value: string;
}

export interface NodeInput {
  name: string;
  port: number;
  /** "[?, 10]"; "" when the graph does not say. */
  shape: string;
  /** The variable op it reads through pass-through ops (`dense/weights/read`); "" if none. */
  variable: string;
}

/** Body of every 4xx answer (a type alias, not a contract object). */
export type ErrorBody = { error: string };
