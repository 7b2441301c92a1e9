// Fetching more of a cut graph (frontier.py): the scopes the view needs that the server has not
// sent, and searches over the whole graph. The controller (app.ts) applies what comes back.

import { fetchDrawing, fetchSearch } from "./api";
import type { DrawingData } from "./contract";
import type { Model } from "./model";
import { deepest, unopened, wantedPaths } from "./opening";
import type { Selection, ViewState } from "./state";

export class CutLoader {
  /** Every path asked open for the graph drawn: each cut asked for keeps them all open. */
  private opened = new Set<string>();

  /** A new graph is drawn: nothing of it was asked open yet. */
  reset(): void {
    this.opened.clear();
  }

  /** The paths the view state needs that lie in stubs: [] when the model holds them all. */
  needs(m: Model, st: ViewState): string[] {
    return unopened(m, wantedPaths(m, st));
  }

  /** The drawing data with `need` open, and everything asked open before. */
  async fetch(m: Model, need: string[]): Promise<DrawingData> {
    for (const p of need) this.opened.add(p);
    const d = await fetchDrawing(m.info.run, m.info.tag, m.info.source, deepest(this.opened));
    return d.graph;
  }

  /** The server's search over the whole graph (the model of a cut graph holds only part of it). */
  async search(m: Model, query: string): Promise<NonNullable<Selection>[]> {
    const found = await fetchSearch(m.info.run, m.info.tag, m.info.source, query);
    return found.results.map((r) => ({
      kind: r.kind === "op" ? ("node" as const) : r.kind,
      name: r.name,
    }));
  }
}
