// What the tab says while the server analyses a graph: the `status` route's stage and
// share of the work (docs/contract.md), polled while the `graph` request is pending, so
// a large graph shows "Analysing … 62% · resolving variable reads" instead of a bare spinner.

import { fetchStatus } from "./api";
import type { StatusEntry } from "./contract";

/** How often the status is asked for while a graph request is pending. */
export const POLL_MS = 400;

/** The progress line for one graph's status entry, or null when it is not being analysed. */
export function progressText(e: StatusEntry | undefined): string | null {
  if (!e || e.state !== "analysing") return null;
  const pct = e.progress === null ? "" : ` ${Math.round(e.progress * 100)}%`;
  const stage = e.stage_label ? ` · ${e.stage_label}` : "";
  return `Analysing ${e.run} / ${e.tag} on the server…${pct}${stage}`;
}

/**
 * Polls the status of one graph until the returned stop function is called; `show` gets
 * each new progress line. A failed poll is ignored: the graph request reports real errors.
 */
export function watchAnalysis(
  graph: { run: string; tag: string; source: string | null },
  show: (text: string) => void,
): () => void {
  let stopped = false;
  let last = "";
  const poll = async () => {
    if (stopped) return;
    try {
      const st = await fetchStatus();
      const entry = st.graphs.find(
        (g) =>
          g.run === graph.run &&
          g.tag === graph.tag &&
          (graph.source === null || g.source === graph.source),
      );
      const text = progressText(entry);
      if (!stopped && text && text !== last) show((last = text));
    } catch {
      /* the graph request itself says what went wrong */
    }
    if (!stopped) setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
  return () => {
    stopped = true;
  };
}
