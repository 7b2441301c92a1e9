// Opening scopes of a cut graph (frontier.py): before the tab draws what the view state needs
// (open scopes, a selection, a finding) that lies in stubs, it asks the server for a cut with
// those scopes open (cutloader.ts) and hands each answer to the controller (app.ts). Only the
// newest open and the newest fetch land: a click while a request is out draws for both.

import { errorText } from "./api";
import type { DrawingData } from "./contract";
import { CutLoader } from "./cutloader";
import { expansionToLevel } from "./expand";
import type { Model } from "./model";
import { unopened } from "./opening";
import type { Selection, ViewState } from "./state";
import { findingPaths } from "./view";

/** What the opener reads and changes of the controller. */
export interface OpenerHost {
  model(): Model | null;
  state(): ViewState;
  /** Counts the controller's loads: an answer for an earlier graph is dropped. */
  loadToken(): number;
  /** A cut arrived: rebuild the model from it; false when there is no graph to add it to. */
  land(graph: DrawingData): boolean;
  resolve(sel: NonNullable<Selection>): Selection;
  /** Open the scopes a selection needs to be visible. */
  reveal(sel: NonNullable<Selection>): void;
  persist(): void;
  draw(): void;
  status(text: string): void;
  dataState(state: "loading" | "ready"): void;
}

export class ScopeOpener {
  readonly cut = new CutLoader();
  private openings = 0;
  private fetches = 0;

  constructor(private host: OpenerHost) {}

  /** Does drawing the state need scopes the server has not sent? */
  needed(): boolean {
    const m = this.host.model();
    return m !== null && this.cut.needs(m, this.host.state()).length > 0;
  }

  /** Open what the state needs, then draw it and run `after` (a failure draws it closed). */
  async openThenDraw(after?: () => void): Promise<void> {
    const h = this.host;
    const token = h.loadToken();
    const mine = ++this.openings;
    h.dataState("loading");
    h.status("Opening scopes…");
    try {
      await this.open();
    } catch (err) {
      if (token !== h.loadToken() || mine !== this.openings) return;
      // What could not be opened is drawn closed: its placeholder is never shown as an op.
      const st = h.state();
      for (const p of unopened(h.model()!, st.expanded)) st.expanded.delete(p);
      h.draw();
      h.status(`Could not open the scope: ${errorText(err)}`);
      h.dataState("ready");
      return;
    }
    if (token !== h.loadToken() || mine !== this.openings) return;
    const st = h.state();
    const m = h.model()!;
    if (st.selection) h.reveal(st.selection);
    const f = st.finding;
    if (f !== null && m.findings[f])
      for (const p of findingPaths(m, m.findings[f])) st.expanded.add(p);
    h.persist();
    h.draw();
    h.dataState("ready");
    after?.();
  }

  /**
   * Asks the server for a cut with every scope the view state needs open, until none is left
   * in a stub (a selection deep in a closed scope reveals further scopes once it is sent).
   */
  async open(): Promise<void> {
    const h = this.host;
    for (let round = 0; round < 4 && h.model(); round++) {
      const need = this.cut.needs(h.model()!, h.state());
      if (need.length === 0) return;
      const token = h.loadToken();
      const seq = ++this.fetches;
      const graph = await this.cut.fetch(h.model()!, need);
      // Only the newest answer lands: it was asked with every path asked before it.
      if (token !== h.loadToken() || seq !== this.fetches || !h.land(graph)) return;
      const st = h.state();
      if (st.selection) {
        const r = h.resolve(st.selection);
        if (r) h.reveal((st.selection = r));
      }
    }
  }

  /** The open scopes of "expand to `level`": in a cut graph, each level's stubs are opened
   * before the next is known. Null when opening failed (the status line says why). */
  async expansionTo(level: number): Promise<Set<string> | null> {
    const h = this.host;
    for (let round = 0; round <= level && h.model(); round++) {
      h.state().expanded = expansionToLevel(h.model()!, level);
      if (unopened(h.model()!, h.state().expanded).length === 0) break;
      try {
        await this.open();
      } catch (err) {
        h.status(`Could not open the scopes: ${errorText(err)}`);
        return null;
      }
    }
    const m = h.model();
    return m ? expansionToLevel(m, level) : null;
  }
}
