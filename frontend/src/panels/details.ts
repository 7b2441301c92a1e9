// Details of the selected op, scope or variable, with links that select the
// creator and every user.

import type { Variable } from "../contract";
import { h, link } from "../dom";
import { SERIES_PAGE } from "../visible";
import { STATUS_WORD, callSites } from "../labels";
import {
  type Model,
  type Status,
  contains,
  nodeType,
  seriesSummary,
  scopeParams,
  variableStatus,
} from "../model";
import type { Selection } from "../state";
import { upstream } from "../trace";
import { opDetails } from "./opdetails";
import { shapeText } from "../vartable";

export interface DetailsActions {
  select(sel: NonNullable<Selection>): void;
  /** Whether "trace inputs" is on, and how to switch it (kept in the URL as p.scopes.trace). */
  trace?: { on: boolean; set(on: boolean): void };
}

const fmt = (n: number | null | undefined) =>
  n === null || n === undefined ? "unknown" : n.toLocaleString("en-US");

function dl(rows: Array<[string, Node | string]>): HTMLElement {
  const el = h("dl");
  for (const [k, v] of rows) el.append(h("dt", {}, k), h("dd", {}, v));
  return el;
}

function scopeLink(path: string, act: DetailsActions): Node {
  return path === ""
    ? document.createTextNode("(root)")
    : link(path, () => act.select({ kind: "scope", name: path }));
}

function opLink(m: Model, name: string, act: DetailsActions): Node {
  return m.nodeByName.has(name)
    ? link(name, () => act.select({ kind: "node", name }))
    : document.createTextNode(name);
}

/** "trace inputs": highlights every op upstream of this one, and says how many there are. */
function traceToggle(
  m: Model,
  n: number,
  trace: { on: boolean; set(on: boolean): void },
): HTMLElement {
  const box = h("input", { type: "checkbox", class: "trace-inputs" });
  box.checked = trace.on;
  box.addEventListener("change", () => trace.set(box.checked));
  const count = trace.on ? upstream(m, n).size : null;
  return h(
    "label",
    { class: "trace", style: "display:block;margin-top:8px;font-size:12px" },
    box,
    " trace inputs",
    count === null ? "" : h("span", { class: "trace-count" }, ` (${fmt(count)} upstream)`),
  );
}

/** A use's pill: "created" (the call that created it) or "reused". */
function statusPill(st: string): HTMLElement {
  return h("span", { class: `pill st-${st}` }, st);
}

/** A variable's pill: its colour category in the legend's words. */
function categoryPill(st: Status): HTMLElement {
  return h("span", { class: `pill st-${st}`, "data-category": st }, STATUS_WORD[st]);
}

function variableDetails(m: Model, v: Variable, act: DetailsActions): HTMLElement[] {
  const st = variableStatus(v, m.findings);
  const out: HTMLElement[] = [
    h(
      "div",
      { class: "title" },
      "Variable ",
      h("span", { "data-testid": "detail-name" }, v.name),
      categoryPill(st),
    ),
    dl([
      ["owner scope", scopeLink(v.owner_scope, act)],
      ["shape", shapeText(v.shape) || "unknown"],
      ["dtype", v.dtype ?? "unknown"],
      ["params", fmt(v.params)],
      // The backend's shared / unshared / unused, in words that agree with the pill.
      ["call sites", callSites(v.uses.length)],
    ]),
  ];
  const uses = h("ul", { class: "uses" });
  for (const u of v.uses) {
    const ops = h("ul");
    for (const o of u.ops) ops.append(h("li", {}, opLink(m, o, act)));
    uses.append(
      h(
        "li",
        { "data-call-site": u.call_site, "data-use-status": u.status },
        scopeLink(u.call_site, act),
        // Calls of one layer or module that share a scope (tf_keras, PyTorch) are told apart.
        u.call > 0 ? ` (call ${u.call + 1})` : "",
        statusPill(u.status),
        ops,
      ),
    );
  }
  out.push(
    h("h3", { style: "margin-top:10px" }, `Uses (${v.uses.length})`),
    v.uses.length ? uses : h("div", { class: "empty" }, "Never read."),
  );
  if (v.findings.length) {
    const fl = h("ul");
    for (const i of v.findings) {
      const f = m.findings[i];
      // Only a bug is shown in the bug colour; a note stays muted, as in the findings panel.
      if (f) fl.append(h("li", { class: f.severity === "bug" ? "st-missed" : "note" }, f.message));
    }
    out.push(h("h3", { style: "margin-top:10px" }, "Findings"), fl);
  }
  return out;
}

export function buildDetails(
  m: Model | null,
  sel: Selection,
  truncated: Array<{ path: string; shown: number; hidden: number }>,
  act: DetailsActions,
): HTMLElement {
  const sec = h("section", { class: "details" }, h("h3", {}, "Details"));
  if (truncated.length) {
    for (const t of truncated) {
      const series = m?.scopes[m.scopeByPath.get(t.path) ?? -1]?.series;
      const reach = series
        ? `Click it for the next ${SERIES_PAGE}, or use the search.`
        : "Use the search to reach them.";
      sec.append(
        h(
          "div",
          { class: "note", "data-truncated": t.path },
          `${t.path || "The graph's top level"} has ${t.shown + t.hidden} ${series ? "members" : "direct children"}: only the first ${t.shown} are drawn, ${t.hidden} are folded into a "+${t.hidden} more" node. ${reach}`,
        ),
      );
    }
  }
  if (!m || !sel) {
    sec.append(h("div", { class: "empty" }, "Click an op, a scope or a variable, or a finding."));
    return sec;
  }
  if (sel.kind === "variable") {
    const vi = m.varByName.get(sel.name);
    if (vi !== undefined) sec.append(...variableDetails(m, m.variables[vi], act));
    return sec;
  }
  if (sel.kind === "node") {
    const n = m.nodeByName.get(sel.name);
    if (n === undefined) return sec;
    const path = m.scopes[m.nodeScope[n]].path;
    sec.append(
      h("div", { class: "title" }, "Op ", h("span", { "data-testid": "detail-name" }, sel.name)),
      dl([
        ["type", nodeType(m, n) || "?"],
        ["scope", scopeLink(path, act)],
      ]),
    );
    const reads = m.nodeReads.get(n) ?? [];
    if (reads.length) {
      const ul = h("ul");
      for (const [vi, reused] of reads) {
        const v = m.variables[vi];
        ul.append(
          h(
            "li",
            {},
            link(v.name, () => act.select({ kind: "variable", name: v.name })),
            statusPill(reused ? "reused" : "created"),
            reused ? ` from ${v.owner_scope || "(root)"}` : "",
          ),
        );
      }
      sec.append(h("h3", { style: "margin-top:10px" }, "Reads variables"), ul);
    }
    if (act.trace) sec.append(traceToggle(m, n, act.trace));
    // Attributes, inputs and shapes come from the `node` route (the graph body has none).
    sec.append(opDetails(m, sel.name, act.select));
    // Consumers: one linear scan, only for the selected node.
    const outs: string[] = [];
    for (let k = 0; k + 1 < m.edges.length; k += 2) {
      if (m.edges[k] === n) outs.push(m.nodeNames[m.edges[k + 1]]);
    }
    for (const [title, list] of [["Consumers", outs]] as const) {
      if (!list.length) continue;
      const ul = h("ul");
      for (const x of list.slice(0, 50)) ul.append(h("li", {}, opLink(m, x, act)));
      if (list.length > 50) ul.append(h("li", { class: "empty" }, `… ${list.length - 50} more`));
      sec.append(h("h3", { style: "margin-top:10px" }, `${title} (${list.length})`), ul);
    }
    return sec;
  }
  // Scope.
  const si = m.scopeByPath.get(sel.name);
  if (si === undefined) return sec;
  const sc = m.scopes[si];
  const params = scopeParams(m, sc.path);
  const series = seriesSummary(m, si);
  sec.append(
    h(
      "div",
      { class: "title" },
      series ? "Series " : "Scope ",
      h("span", { "data-testid": "detail-name" }, sc.path || "(root)"),
    ),
    dl(
      series?.opType != null
        ? [
            ["members", fmt(series.members)],
            ["op type", series.opType],
          ]
        : series
          ? [
              ["members", fmt(series.members)],
              ["ops", `${fmt(sc.totalOps)} (${fmt(series.opsEach)} in each)`],
              ["members creating variables", fmt(series.creating)],
              ["members reusing variables", fmt(series.reusing)],
            ]
          : [
              ["ops", fmt(sc.totalOps)],
              ["params owned", fmt(params?.params_owned ?? 0)],
              ["params used", fmt(params?.params_used ?? 0)],
            ],
    ),
  );
  if (series)
    sec.append(
      h(
        "p",
        { class: "empty" },
        series.opType != null
          ? "Alike sibling ops folded into one box: their names differ by one number and they are of one op type. Expand it to page through the members."
          : "Alike sibling scopes folded into one box: their names differ by one number and they hold the same ops. Expand it to page through the members.",
      ),
    );
  const owned = m.variables.filter((_, v) => contains(m, si, m.varScope[v]));
  if (owned.length) {
    const ul = h("ul");
    for (const v of owned.slice(0, 100))
      ul.append(
        h(
          "li",
          {},
          link(v.name, () => act.select({ kind: "variable", name: v.name })),
          categoryPill(variableStatus(v, m.findings)),
        ),
      );
    sec.append(h("h3", { style: "margin-top:10px" }, `Variables created (${owned.length})`), ul);
  }
  const foreign = [...sc.reads].filter(([v]) => !contains(m, si, m.varScope[v]));
  if (foreign.length) {
    const ul = h("ul");
    for (const [vi, reused] of foreign.slice(0, 100)) {
      const v = m.variables[vi];
      ul.append(
        h(
          "li",
          {},
          link(v.name, () => act.select({ kind: "variable", name: v.name })),
          statusPill(reused ? "reused" : "created"),
          ` from ${v.owner_scope || "(root)"}`,
        ),
      );
    }
    sec.append(
      h("h3", { style: "margin-top:10px" }, `Variables from other scopes (${foreign.length})`),
      ul,
    );
  }
  return sec;
}
