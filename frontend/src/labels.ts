// The words the tab uses for a colour category, in one place, so the legend,
// the status pills of the details and the variables table never disagree
// (a variable read at one call site is "created here", never "unshared" beside it).
// Pure.

import type { AuxSets } from "./aux";
import { type Model, type Status, opsInStubs, opsOfNode, wholeNodeCount } from "./model";

/** Short word on a pill or in a table cell. */
export const STATUS_WORD: Record<Status, string> = {
  created: "created here",
  reused: "reused",
  shared: "shared",
  missed: "possible missed sharing",
  unused: "unused",
  none: "no variable",
};

/** The legend's line: the word and what it means. */
export const STATUS_MEANING: Record<Status, string> = {
  created: "created here (one call site)",
  reused: "reused from another scope",
  shared: "shared (two or more call sites)",
  missed: "possible missed sharing",
  unused: "unused (never read)",
  none: "reads no variable",
};

/** Categories a variable can have (the table's status filter), in legend order. */
export const VARIABLE_STATUSES: Status[] = ["created", "shared", "missed", "unused"];

/** "1 call site", "2 call sites", "never read". */
export function callSites(n: number): string {
  if (n === 0) return "never read";
  return n === 1 ? "1 call site" : `${n.toLocaleString("en-US")} call sites`;
}

/**
 * The line under the graph: what is drawn now (boxes and ops on screen), what the
 * model holds, what was set aside, and the graph's own size. Every count names
 * what it counts, so none claims nodes that are not drawn.
 */
export function statusText(p: {
  drawn: number;
  modelNodes: number;
  setAside: number;
  /** Machinery drawn in the side columns of its boxes (machinery mode "side"). */
  atTheSide?: number;
  opsInGraph: number;
  helpersFolded: number;
  variables: number;
  /** Ops in the closed scopes of a cut graph, not sent yet (frontier.py). */
  inStubs?: number;
}): string {
  const n = (k: number, word: string) =>
    `${k.toLocaleString("en-US")} ${word}${k === 1 ? "" : "s"}`;
  const parts = [`${n(p.drawn, "item")} drawn of ${n(p.modelNodes, "node")}`];
  if (p.setAside) parts.push(`${n(p.setAside, "training-machinery node")} set aside`);
  if (p.atTheSide) parts.push(`${n(p.atTheSide, "training-machinery node")} at the side`);
  parts.push(`${n(p.opsInGraph, "op")} in the graph (${n(p.helpersFolded, "helper")} folded)`);
  if (p.inStubs) parts.push(`${n(p.inStubs, "node")} in closed scopes, sent when opened`);
  parts.push(n(p.variables, "variable"));
  return parts.join(" · ");
}

/** The status line for model `m` with `drawn` items on screen and `setAside` machinery nodes hidden. */
export function drawnStatus(m: Model, drawn: number, setAside: number, aux?: AuxSets): string {
  return statusText({
    drawn,
    modelNodes: wholeNodeCount(m), // a cut graph's stubs count the nodes they stand for
    setAside,
    atTheSide: aux ? aux.nodes.reduce((k, x, i) => k + x * opsOfNode(m, i), 0) : 0,
    opsInGraph: m.info.opsInGraph,
    helpersFolded: m.info.helpersFolded,
    variables: m.variables.length,
    inStubs: opsInStubs(m),
  });
}
