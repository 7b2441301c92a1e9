// The variables table's rows, as pure data: one row per model weight with the
// columns the table shows, sorting, filtering, the parameter totals of its header
// and the same rows as CSV text. No DOM, so it is unit tested under node.

import type { Finding, Variable } from "./contract";
import { type Status, variableStatus } from "./model";
import { STATUS_WORD } from "./labels";

export interface VarRow {
  /** Index into the response's `variables`. */
  index: number;
  name: string;
  owner: string;
  /** "[10, 5]", "[]" for a scalar, "" when unknown. */
  shape: string;
  dtype: string;
  params: number | null;
  /** The colour category the graph paints it with (variableStatus). */
  status: Status;
  /** Number of call sites (uses). */
  uses: number;
  /** Labels of the findings that name it, bugs first, as the response lists them. */
  findings: string[];
  /** How many of those are bugs (the rest are notes). */
  bugs: number;
}

export type SortKey =
  "name" | "owner" | "shape" | "dtype" | "params" | "status" | "uses" | "findings";
export type SortDir = "asc" | "desc";

/** The table's columns: key, header text, numeric (sorted as numbers, right-aligned). */
export const COLUMNS: Array<{ key: SortKey; title: string; numeric: boolean }> = [
  { key: "name", title: "name", numeric: false },
  { key: "owner", title: "owner scope", numeric: false },
  { key: "shape", title: "shape", numeric: false },
  { key: "dtype", title: "dtype", numeric: false },
  { key: "params", title: "params", numeric: true },
  { key: "status", title: "status", numeric: false },
  { key: "uses", title: "uses", numeric: true },
  { key: "findings", title: "findings", numeric: true },
];

export function shapeText(shape: number[] | null): string {
  return shape ? `[${shape.map((d) => (d < 0 ? "?" : String(d))).join(", ")}]` : "";
}

export function variableRows(
  variables: readonly Variable[],
  findings: readonly Finding[],
): VarRow[] {
  return variables.map((v, index) => ({
    index,
    name: v.name,
    owner: v.owner_scope,
    shape: shapeText(v.shape),
    dtype: v.dtype ?? "",
    params: v.params,
    status: variableStatus(v, findings),
    uses: v.uses.length,
    findings: v.findings.map((i) => findings[i]?.label).filter((l): l is string => !!l),
    bugs: v.findings.filter((i) => findings[i]?.severity === "bug").length,
  }));
}

// Status sorts in legend order (worst last would hide bugs; bugs first when descending).
const STATUS_ORDER: Record<Status, number> = {
  created: 0,
  reused: 1,
  shared: 2,
  unused: 3,
  missed: 4,
  none: 5,
};

function cmp(a: VarRow, b: VarRow, key: SortKey): number {
  switch (key) {
    case "params":
      // Unknown sizes sort below every known one in both directions' "smallest" end.
      return (a.params ?? -1) - (b.params ?? -1);
    case "uses":
      return a.uses - b.uses;
    case "findings":
      return a.findings.length - b.findings.length;
    case "status":
      return STATUS_ORDER[a.status] - STATUS_ORDER[b.status];
    default:
      return a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
  }
}

/** A sorted copy; ties keep name order so the order never depends on the previous sort. */
export function sortRows(rows: VarRow[], key: SortKey, dir: SortDir): VarRow[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...rows].sort(
    (a, b) => sign * cmp(a, b, key) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Rows of one status ("all" for every one) whose name or owner scope contains `text`. */
export function filterRows(rows: VarRow[], status: Status | "all", text: string): VarRow[] {
  const q = text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (status === "all" || r.status === status) &&
      (!q || r.name.toLowerCase().includes(q) || r.owner.toLowerCase().includes(q)),
  );
}

export interface ParamTotals {
  /** Each variable once: the response's total_params. */
  unique: number;
  /** What a model with one copy per call site would have: params x max(1, uses). */
  unshared: number;
  /** Variables whose size is unknown (left out of both sums). */
  unknown: number;
}

/**
 * The header's totals. An unused variable still exists once, so it counts once in both;
 * `unique` is the backend's own total (a tied weight listed once counts once).
 */
export function paramTotals(variables: readonly Variable[], totalParams: number): ParamTotals {
  let unshared = 0;
  let unknown = 0;
  for (const v of variables) {
    if (v.params === null) unknown++;
    else unshared += v.params * Math.max(1, v.uses.length);
  }
  return { unique: totalParams, unshared, unknown };
}

export function totalsLine(t: ParamTotals): string {
  const f = (n: number) => n.toLocaleString("en-US");
  let s = `${f(t.unique)} unique parameters · ${f(t.unshared)} if nothing were shared`;
  if (t.unknown) s += ` · ${f(t.unknown)} of unknown size`;
  return s;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every row as CSV text, the table's columns in its order, CRLF line ends (RFC 4180). */
export function rowsCsv(rows: VarRow[]): string {
  const lines = [COLUMNS.map((c) => c.title)];
  for (const r of rows) {
    lines.push([
      r.name,
      r.owner,
      r.shape,
      r.dtype,
      r.params === null ? "" : String(r.params),
      STATUS_WORD[r.status],
      String(r.uses),
      r.findings.join("; "),
    ]);
  }
  return lines.map((l) => l.map(csvField).join(",")).join("\r\n") + "\r\n";
}
