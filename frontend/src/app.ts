// The controller: owns the view state, fetches, builds the model, lays out,
// draws, and rebuilds the panels after every change. Heavy phases are
// separated by a yield so the progress text paints first.

import { ApiError, fetchGraph, fetchRuns } from "./api";
import { CutLoader } from "./cutloader";
import type { GraphResponse, RunsResponse } from "./contract";
import { h, tick } from "./dom";
import { decorate, ownerColour } from "./decorate";
import { edgeLabels } from "./edgelabels";
import { tracedEdges } from "./trace";
import { type Layout, layout } from "./layout";
import { nodeId } from "./visible";
import {
  type Model,
  buildModel,
  drawnNodeCount,
  opsInStubs,
  opsOfNode,
  wholeNodeCount,
} from "./model";
import { unopened } from "./opening";
import { type AuxSets, auxSets } from "./aux";
import { machineryCount, withoutMachinery } from "./machinery";
import { Overlay } from "./panels/overlay";
import { Side } from "./panels/sidetabs";
import { addSplitter } from "./panels/splitter";
import { statusText } from "./labels";
import { expansionToLevel } from "./expand";
import { exportAs } from "./export";
import { type GraphChoice, allChoices, buildPicker, replacePicker } from "./panels/picker";
import { hideBanner, showChange } from "./panels/banner";
import { listenForReloads } from "./host";
import { KeyboardNav, ariaLabels, installShortcuts } from "./keyboard";
import { openGraphChange } from "./reload";
import { buildToolbar } from "./panels/toolbar";
import { watchAnalysis } from "./progress";
import { type Decoration, GraphView } from "./render";
import {
  autoExpandPaths,
  findingPaths,
  pinTargets,
  resolveSelection,
  revealPaths,
  selectedItem,
  toggleScope,
} from "./view";
import {
  PLUGIN,
  type Selection,
  type ViewState,
  hashFromState,
  hashWindow,
  readHash,
  writeHash,
} from "./state";

export class App {
  readonly root: HTMLDivElement;
  private toolbar: HTMLDivElement;
  private canvas: HTMLDivElement;
  private side: HTMLDivElement;
  private overlay = new Overlay();
  private statusline: HTMLDivElement;
  private view: GraphView;
  private st: ViewState = readHash();
  private choices: GraphChoice[] = [];
  /** The graph as the backend sent it; the model is built from it with or without machinery. */
  private resp: GraphResponse | null = null;
  /** Counts loads: a response that is not the last one asked for is dropped. */
  private loadToken = 0;
  private model: Model | null = null;
  private lay: Layout | null = null;
  /** What the current layout was computed from; unchanged -> only redecorate. */
  private layKey = "";
  /** Node indexes kept visible in boxes over the cap (see pinTargets). */
  private pins: number[] = [];
  /** Series path -> pages of members shown in its open box (visible.ts SERIES_PAGE each). */
  private pages = new Map<string, number>();
  /** The graph drawn, with the listing's version of it when it was loaded (see refresh). */
  private drawn: GraphChoice | null = null;
  private refreshing = false;
  /** Fetches what a cut graph's view needs from the server (cutloader.ts). */
  private cut = new CutLoader();
  /** Counts opens and fetches of a cut graph: only the newest of each draws or lands. */
  private openings = 0;
  private fetches = 0;
  /** Machinery set at the side of each box (machinery mode "side"). */
  private aux: AuxSets | undefined;
  private sidePanel: Side;

  constructor(parent: HTMLElement) {
    this.root = h("div", { id: "scopes-root", "data-state": "loading" });
    this.toolbar = h("div", { class: "toolbar" });
    this.canvas = h("div", { class: "canvas" });
    this.side = h("div", { class: "side" });
    this.statusline = h("div", { class: "statusline" });
    this.root.append(this.toolbar, h("div", { class: "main" }, this.canvas, this.side));
    // A wider panel narrows the graph: keep the selection in view.
    this.sidePanel = new Side(this.side, () => {
      if (this.st.selection && this.lay) this.focusSelection();
    });
    addSplitter(this.side);
    parent.append(this.root);
    this.view = new GraphView(this.canvas, {
      select: (id) => this.selectItem(id),
      toggle: (id) => this.toggleItem(id),
      clearSelection: () => {
        if (!this.st.selection && this.st.finding === null) return;
        this.st.selection = null;
        this.st.finding = null;
        this.commit();
      },
    });
    this.canvas.append(this.overlay.el, this.statusline);
    const keys = new KeyboardNav(this.view, {
      select: (id) => this.selectItem(id),
      toggle: (id) => this.toggleItem(id),
    });
    installShortcuts(this.root, () => keys.focusGraph());
    document.addEventListener("keydown", (ev) => {
      const t = ev.target as HTMLElement | null;
      if (ev.key !== "Escape" || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
      if (!this.st.selection && this.st.finding === null) return;
      this.st.selection = null;
      this.st.finding = null;
      this.commit();
    });
  }

  private progress(text: string): void {
    this.overlay.progress(text);
  }

  private message(text: string, detail: string, error: boolean): void {
    this.overlay.message(text, detail, error);
    this.root.setAttribute("data-state", error ? "error" : "ready");
  }

  async start(): Promise<void> {
    this.progress("Loading runs…");
    await tick();
    let runs: RunsResponse;
    try {
      runs = await fetchRuns();
    } catch (err) {
      this.message("Could not load the runs.", errText(err), true);
      return;
    }
    this.choices = allChoices(runs);
    if (this.choices.length === 0) {
      this.message(
        "No runs with graphs in this logdir.",
        "Write a graph with tf.summary.graph, tf.compat.v1.summary.FileWriter, tf.summary.trace_export or the Keras TensorBoard callback, then reload.",
        false,
      );
      return;
    }
    // A pasted link or Back/Forward changes the parent page's hash: follow it.
    hashWindow().addEventListener("hashchange", () => this.followHash());
    listenForReloads(() => void this.refresh());
    await this.load(this.choiceFor(this.st));
  }

  /** The graph a state names, or the first one (then the state's selection does not apply). */
  private choiceFor(st: ViewState): GraphChoice {
    const want = this.choices.find(
      (c) =>
        c.run === st.run &&
        (st.tag === null || c.tag === st.tag) &&
        (st.source === null || c.source === st.source),
    );
    if (!want) {
      st.selection = null;
      st.expanded = new Set();
    }
    return want ?? this.choices[0];
  }

  private followHash(): void {
    if (!hashWindow().location.hash.startsWith(`#${PLUGIN}`)) return; // another dashboard's
    const next = readHash();
    if (hashFromState(next) === hashFromState(this.st)) return; // our own write
    const pick = this.choiceFor(next);
    const sameGraph =
      this.model !== null &&
      pick.run === this.st.run &&
      pick.tag === this.st.tag &&
      pick.source === this.st.source;
    this.st = { ...next, run: pick.run, tag: pick.tag, source: pick.source };
    if (!sameGraph) {
      void this.load(pick);
      return;
    }
    if (this.st.selection) this.st.selection = this.resolve(this.st.selection);
    if (this.st.selection) this.reveal(this.st.selection);
    this.commit();
    if (this.st.selection) this.focusSelection();
  }

  private async load(c: GraphChoice): Promise<void> {
    // Picking graph B while A loads must never show A under B's URL: only the last load lands.
    const token = ++this.loadToken;
    this.root.setAttribute("data-state", "loading");
    this.st.run = c.run;
    this.st.tag = c.tag;
    this.st.source = c.source;
    this.model = null;
    this.lay = null;
    this.pins = [];
    this.pages.clear();
    this.cut.reset();
    this.drawn = c;
    hideBanner(this.canvas);
    this.buildToolbar();
    this.progress(`Fetching graph ${c.run} / ${c.tag}…`);
    await tick();
    // A graph not analysed yet takes seconds on the server: show its stage meanwhile.
    const stopWatching = watchAnalysis(c, (text) => {
      if (token === this.loadToken) this.progress(text);
    });
    try {
      const resp = await fetchGraph(c.run, c.tag, c.source).finally(stopWatching);
      if (token !== this.loadToken) return;
      mark("graph-received");
      this.progress(
        `Building the scope tree (${drawnNodeCount(resp).toLocaleString("en-US")} nodes)…`,
      );
      await tick();
      if (token !== this.loadToken) return;
      this.resp = resp;
      this.setModel();
      mark("model-built");
      this.buildToolbar();
    } catch (err) {
      if (token === this.loadToken) this.message("Could not load this graph.", errText(err), true);
      return;
    }
    const autoExpand = this.st.expanded.size === 0;
    // A cut graph: what the URL opens or selects may lie in scopes the server has not sent.
    // What cannot be fetched is drawn closed, and the status line says why.
    let failed = await this.open().then(() => null, errText);
    if (token !== this.loadToken) return;
    if (this.st.selection) this.st.selection = this.resolve(this.st.selection);
    if (autoExpand) this.autoExpand();
    if (this.st.selection) this.reveal(this.st.selection);
    failed = failed ?? (await this.open().then(() => null, errText));
    if (token !== this.loadToken) return;
    this.progress("Laying out…");
    await tick();
    if (token !== this.loadToken) return;
    this.redraw();
    if (failed) this.statusline.textContent = `Could not open the scopes asked for: ${failed}`;
    this.overlay.hide();
    if (this.st.selection) this.focusSelection();
    else this.view.start();
    writeHash(this.st);
    this.root.setAttribute("data-state", "ready");
    mark("ready");
  }

  /**
   * TensorBoard reloaded: list the graphs again, in place (selection, expansion and view stay).
   * A graph that changed on the server is offered, never swapped in under the user's eyes.
   */
  private async refresh(): Promise<void> {
    if (!this.model || !this.drawn || this.refreshing) return; // a load is on its way anyway
    this.refreshing = true;
    let runs: RunsResponse;
    try {
      runs = await fetchRuns();
    } catch {
      return; // the next reload tries again; what is drawn stays valid
    } finally {
      this.refreshing = false;
    }
    if (!this.model || !this.drawn) return;
    this.choices = allChoices(runs);
    replacePicker(
      this.toolbar,
      buildPicker(this.choices, this.drawn, (c) => this.pickGraph(c)),
    );
    showChange(this.canvas, openGraphChange(this.drawn, this.choices), (c) => void this.load(c));
  }

  private pickGraph(c: GraphChoice): void {
    this.st.selection = null;
    this.st.finding = null;
    this.st.expanded = new Set();
    void this.load(c);
  }

  /** The model from the response, with or without machinery (and which of it goes aside). */
  private setModel(): void {
    const resp = this.resp!;
    this.model = buildModel(this.st.machinery === "hidden" ? withoutMachinery(resp) : resp);
    this.aux = this.st.machinery === "side" ? auxSets(this.model) : undefined;
  }

  /** Expand a chain of lone top-level scopes so the first view is not a single box. */
  private autoExpand(): void {
    for (const p of autoExpandPaths(this.model!, this.aux)) this.st.expanded.add(p);
  }

  private resolve(sel: NonNullable<Selection>): Selection {
    return resolveSelection(this.model!, sel);
  }

  /** Expand what is needed for a selection and its call sites to be visible. */
  private reveal(sel: NonNullable<Selection>): void {
    for (const p of revealPaths(this.model!, sel)) this.st.expanded.add(p);
  }

  private selectedItem(): string | null {
    return this.model && this.lay ? selectedItem(this.model, this.lay, this.st.selection) : null;
  }

  private decorate(): Decoration {
    const d = decorate(this.model!, this.lay!, this.st, this.selectedItem());
    d.aria = ariaLabels(this.model!, this.lay!);
    return d;
  }

  private redraw(): void {
    const m = this.model;
    if (!m) return;
    // Keep what the user is looking at visible even inside a box over the cap.
    const pins = pinTargets(m, this.st.selection, this.st.finding);
    const hiddenPin = !this.lay || pins.some((n) => this.lay!.itemOfNode(n) !== nodeId(n));
    if (hiddenPin) this.pins = pins;
    const key = `${this.st.run}|${this.st.tag}|${this.st.source}|${this.st.machinery}|${this.st.showVarEdges}|${[...this.st.expanded].sort().join("\n")}|${this.pins.join(",")}|${[...this.pages].join(";")}`;
    if (this.lay && key === this.layKey) {
      // Same visible level: keep the DOM (a double click must land on the
      // element its first click hit), only colours and highlights change.
      this.view.redecorate(this.decorate());
      this.markHighlights();
    } else {
      const pinScopes = new Set<number>();
      for (const n of this.pins) {
        for (let x = m.nodeScope[n]; x > 0; x = m.scopes[x].parent) pinScopes.add(x);
      }
      this.lay = layout(m, {
        expanded: this.st.expanded,
        showVarEdges: this.st.showVarEdges,
        pinNodes: new Set(this.pins),
        pinScopes,
        aux: this.aux,
        pages: this.pages,
      });
      this.layKey = key;
      this.view.draw(this.lay, this.decorate());
      this.view.labelEdges(edgeLabels(m, this.lay));
      this.markHighlights();
    }
    this.view.lightEdges(this.tracedEdges());
    this.buildSide();
    const hidden = this.resp && this.st.machinery === "hidden" ? machineryCount(this.resp) : 0;
    this.statusline.textContent = statusText({
      drawn: this.lay!.items.size,
      modelNodes: wholeNodeCount(m), // a cut graph's stubs count the nodes they stand for
      setAside: hidden,
      atTheSide: this.aux ? this.aux.nodes.reduce((k, x, i) => k + x * opsOfNode(m, i), 0) : 0,
      opsInGraph: m.info.opsInGraph,
      helpersFolded: m.info.helpersFolded,
      variables: m.variables.length,
      inStubs: opsInStubs(m),
    });
  }

  /** The drawn edges of "trace inputs", when it is on for a selected op. */
  private tracedEdges(): Set<string> {
    const sel = this.st.selection;
    const n = sel?.kind === "node" ? this.model!.nodeByName.get(sel.name) : undefined;
    return this.st.trace && n !== undefined && this.lay
      ? tracedEdges(this.model!, this.lay, n)
      : new Set();
  }

  /**
   * State changed: persist to the URL and redraw, then `after` (keep a box in place, fit). In
   * a cut graph, scopes the state needs that the server has not sent are fetched first.
   */
  private commit(after?: () => void): void {
    writeHash(this.st);
    if (this.model && this.cut.needs(this.model, this.st).length > 0) {
      void this.openThenDraw(after);
      return;
    }
    this.redraw();
    after?.();
  }

  private async openThenDraw(after?: () => void): Promise<void> {
    const token = this.loadToken;
    const mine = ++this.openings;
    this.root.setAttribute("data-state", "loading");
    this.statusline.textContent = "Opening scopes…";
    try {
      await this.open();
    } catch (err) {
      if (token !== this.loadToken || mine !== this.openings) return;
      // What could not be opened is drawn closed: its placeholder is never shown as an op.
      const m = this.model!;
      for (const p of unopened(m, this.st.expanded)) this.st.expanded.delete(p);
      this.redraw();
      this.statusline.textContent = `Could not open the scope: ${errText(err)}`;
      this.root.setAttribute("data-state", "ready");
      return;
    }
    // A newer open (a second click while this one's request was out) draws for both.
    if (token !== this.loadToken || mine !== this.openings) return;
    if (this.st.selection) this.reveal(this.st.selection);
    const f = this.st.finding;
    if (f !== null && this.model!.findings[f])
      for (const p of findingPaths(this.model!, this.model!.findings[f])) this.st.expanded.add(p);
    writeHash(this.st);
    this.redraw();
    this.root.setAttribute("data-state", "ready");
    after?.();
  }

  /**
   * Asks the server for a cut with every scope the view state needs open, until none is left
   * in a stub (a selection deep in a closed scope reveals further scopes once it is sent).
   */
  private async open(): Promise<void> {
    for (let round = 0; round < 4 && this.model; round++) {
      const need = this.cut.needs(this.model, this.st);
      if (need.length === 0) return;
      const token = this.loadToken;
      const seq = ++this.fetches;
      const graph = await this.cut.fetch(this.model, need);
      // Only the newest answer lands: it was asked with every path asked before it.
      if (token !== this.loadToken || seq !== this.fetches || !this.resp) return;
      this.resp = { ...this.resp, graph };
      this.setModel();
      this.lay = null;
      this.layKey = "";
      if (this.st.selection) {
        const r = this.resolve(this.st.selection);
        if (r) this.reveal((this.st.selection = r));
      }
    }
  }

  select(sel: NonNullable<Selection>, focus = true): void {
    if (!this.model) return;
    // An op the server has not sent (a search hit, a link in the details) is fetched first.
    const m = this.model;
    const asked = { ...this.st, selection: sel, finding: null };
    const r = this.cut.needs(m, asked).length > 0 ? sel : this.resolve(sel);
    if (!r) return;
    this.st.selection = r;
    this.st.finding = null;
    this.reveal(r);
    this.commit(() => {
      if (this.st.selection && !this.resolve(this.st.selection)) this.st.selection = null;
      if (focus) this.focusSelection();
    });
  }

  /** Highlighted call sites get an arrow on the canvas border while off-screen. */
  private markHighlights(): void {
    const sel = this.selectedItem();
    this.view.setMarked([...this.decorate().highlight.keys()].filter((id) => id !== sel));
  }

  /** Show the selection (centred when its call sites do not fit at a readable zoom). */
  private focusSelection(): void {
    const id = this.selectedItem();
    const hl = [...this.decorate().highlight.keys()].filter((h) => h !== id);
    if (id) this.view.focus(id, hl);
  }

  private selectItem(id: string): void {
    const m = this.model;
    const it = this.lay?.items.get(id);
    if (!m || !it) return;
    if (it.kind === "scope") this.select({ kind: "scope", name: m.scopes[it.scope].path }, false);
    else if (it.kind === "op" || it.kind === "var")
      this.select({ kind: "node", name: m.nodeNames[it.node] }, false);
    else if (m.scopes[it.scope].series) {
      // "+N more" in an open series shows its next page of members.
      const path = m.scopes[it.scope].path;
      this.pages.set(path, (this.pages.get(path) ?? 1) + 1);
      this.redraw();
    } else {
      this.st.selection = { kind: "scope", name: m.scopes[it.scope].path };
      this.commit();
    }
  }

  private toggleItem(id: string): void {
    const m = this.model;
    const it = this.lay?.items.get(id);
    if (!m || !it || it.kind !== "scope") return;
    this.st.expanded = toggleScope(m, this.st.expanded, it.scope, it.expanded);
    const before = this.view.posOf(id);
    const opening = !it.expanded;
    this.commit(() => {
      if (before) this.view.keepInPlace(id, before);
      if (opening) this.view.showOpened(id);
    });
  }

  focusFinding(i: number): void {
    const m = this.model;
    if (!m) return;
    const f = m.findings[i];
    if (!f) return;
    this.st.finding = i;
    this.st.selection = null;
    for (const p of findingPaths(m, f)) this.st.expanded.add(p);
    this.commit(() => this.view.fit([...this.decorate().highlight.keys()]));
  }

  /** Collapse all / expand to a level: a new set of open scopes, kept in the URL. */
  private setExpanded(expanded: Set<string>): void {
    this.st.expanded = expanded;
    this.commit(() => this.view.fit());
  }

  /** Expand to a level: in a cut graph, each level's stubs are opened before the next is known. */
  private async expandTo(level: number): Promise<void> {
    for (let round = 0; round <= level && this.model; round++) {
      this.st.expanded = expansionToLevel(this.model, level);
      if (unopened(this.model, this.st.expanded).length === 0) break;
      try {
        await this.open();
      } catch (err) {
        this.statusline.textContent = `Could not open the scopes: ${errText(err)}`;
        return;
      }
    }
    if (this.model) this.setExpanded(expansionToLevel(this.model, level));
  }

  private buildToolbar(): void {
    this.toolbar.replaceChildren(
      ...buildToolbar(this.st, this.choices, {
        pickGraph: (c) => this.pickGraph(c),
        select: (sel) => this.select(sel),
        search: (q) => (this.model ? this.cut.search(this.model, q) : Promise.resolve([])),
        setColor: (mode) => {
          this.st.color = mode;
          this.commit();
        },
        setVarEdges: (on) => {
          this.st.showVarEdges = on;
          this.commit();
        },
        setMachinery: (mode) => {
          this.st.machinery = mode;
          if (!this.resp) return;
          this.setModel();
          this.lay = null;
          this.layKey = "";
          this.buildToolbar(); // "Expand to…" offers the levels of the new model
          this.commit();
        },
        machinery: () => (this.resp ? machineryCount(this.resp) : 0),
        fit: () => this.view.fit(),
        model: () => this.model,
        collapseAll: () => this.setExpanded(new Set()),
        expandTo: (level) => void this.expandTo(level),
        export: (kind) => {
          if (this.model)
            exportAs(kind, this.view.svg, this.model).catch((e) => {
              this.statusline.textContent = `Could not export: ${errText(e)}`;
            });
        },
      }),
    );
  }

  private buildSide(): void {
    const m = this.model;
    if (!m || !this.lay) return;
    const truncated = this.lay.truncated.map((t) => ({
      path: m.scopes[t.scope].path,
      shown: t.shown,
      hidden: t.hidden,
    }));
    const owners = m.owners.map((o, i) => [o, ownerColour(i)] as [string, string]);
    // Details first, so that a click always updates what is in view (findings can be many).
    this.sidePanel.update(
      {
        m,
        st: this.st,
        truncated,
        owners,
        highlights: new Set(this.decorate().highlight.values()),
      },
      {
        select: (s) => this.select(s),
        focusFinding: (i) => this.focusFinding(i),
        trace: {
          on: this.st.trace,
          set: (on) => {
            this.st.trace = on;
            this.commit();
          },
        },
      },
    );
  }
}

/**
 * A User Timing mark ("scopes:model-built"): DevTools' Performance panel shows where a load
 * spends its time, and benchmarks/side_by_side.py reads the split from the page.
 */
function mark(name: string): void {
  performance.mark(`scopes:${name}`);
}

function errText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
