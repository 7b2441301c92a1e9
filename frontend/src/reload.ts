// After TensorBoard reloads (host.ts): what happened to the graph that is open, from a new
// `runs` listing. Pure, so the rules are unit-tested: the tab never swaps a graph under the
// user's eyes, it only offers the newer one (panels/banner.ts).

import type { GraphChoice } from "./panels/picker";

export type OpenGraphChange =
  /** Listed with the version that is drawn (or the listing carries no versions). */
  | { kind: "same" }
  /** Listed with another version: the graph was written again. */
  | { kind: "newer"; choice: GraphChoice }
  /** No longer listed: its run or tag was removed from the logdir. */
  | { kind: "gone" };

export function sameGraph(a: GraphChoice, b: GraphChoice): boolean {
  return a.run === b.run && a.tag === b.tag && a.source === b.source;
}

export function openGraphChange(open: GraphChoice, listed: GraphChoice[]): OpenGraphChange {
  const now = listed.find((c) => sameGraph(c, open));
  if (!now) return { kind: "gone" };
  if (now.version !== undefined && open.version !== undefined && now.version !== open.version)
    return { kind: "newer", choice: now };
  return { kind: "same" };
}
