// The controller: owns the view state, fetches, builds the model, lays out,
// draws, and rebuilds the panels after every change. Heavy phases are
// separated by a yield so the progress text paints first.

import { errorText, fetchGraph, fetchRuns } from "./api";
import type { GraphResponse, RunsResponse } from "./contract";
import { tick, timingMark } from "./dom";
import { decorate } from "./decorate";
import { edgeLabels } from "./edgelabels";
import { tracedEdges } from "./trace";
import { type Layout, layout } from "./layout";
import { nodeId } from "./visible";
import { type Model, buildModel, drawnNodeCount } from "./model";
import { ScopeOpener } from "./opener";
import { type AuxSets, auxSets } from "./aux";
import { machineryCount, withoutMachinery } from "./machinery";
import { Overlay } from "./panels/overlay";
import { Side } from "./panels/sidetabs";
import { addSplitter } from "./panels/splitter";
import { drawnStatus } from "./labels";
import { exportAs } from "./export";
import {
  type GraphChoice,
  allChoices,
  buildPicker,
  choiceFor,
  replacePicker,
} from "./panels/picker";
import { hideBanner, showChange } from "./panels/banner";
import { listenForReloads } from "./host";
import { KeyboardNav, ariaLabels, installShortcuts } from "./keyboard";
import { openGraphChange } from "./reload";
import { buildToolbar } from "./panels/toolbar";
import { watchAnalysis } from "./progress";
import { type Decoration, GraphView } from "./render";
import { buildShell, onEscape } from "./shell";
import {
  autoExpandPaths,
  findingPaths,
  layoutKey,
  pinTargets,
  resolveSelection,
  revealPaths,
  scopesOfNodes,
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
  /** Opens the scopes a cut graph's view needs that the server has not sent (opener.ts). */
  private opener: ScopeOpener;
  /** Machinery set at the side of each box (machinery mode "side"). */
  private aux: AuxSets | undefined;
  private sidePanel: Side;

  constructor(parent: HTMLElement) {
    ({
      root: this.root,
      toolbar: this.toolbar,
      canvas: this.canvas,
      side: this.side,
      statusline: this.statusline,
    } = buildShell(parent));
    // A wider panel narrows the graph: keep the selection in view.
    this.sidePanel = new Side(this.side, () => {
      if (this.st.selection && this.lay) this.focusSelection();
    });
    addSplitter(this.side);
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
    onEscape(() => {
      if (!this.st.selection && this.st.finding === null) return;
      this.st.selection = null;
      this.st.finding = null;
      this.commit();
    });
    this.opener = new ScopeOpener({
      model: () => this.model,
      state: () => this.st,
      loadToken: () => this.loadToken,
      land: (graph) => {
        if (!this.resp) return false;
        this.resp = { ...this.resp, graph };
        this.setModel();
        this.lay = null;
        this.layKey = "";
        return true;
      },
      resolve: (sel) => this.resolve(sel),
      reveal: (sel) => this.reveal(sel),
      persist: () => writeHash(this.st),
      draw: () => this.redraw(),
      status: (text) => void (this.statusline.textContent = text),
      dataState: (state) => this.root.setAttribute("data-state", state),
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
      this.message("Could not load the runs.", errorText(err), true);
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
    await this.load(choiceFor(this.choices, this.st));
  }

  private followHash(): void {
    if (!hashWindow().location.hash.startsWith(`#${PLUGIN}`)) return; // another dashboard's
    const next = readHash();
    if (hashFromState(next) === hashFromState(this.st)) return; // our own write
    const pick = choiceFor(this.choices, next);
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
    this.opener.cut.reset();
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
      timingMark("graph-received");
      this.progress(
        `Building the scope tree (${drawnNodeCount(resp).toLocaleString("en-US")} nodes)…`,
      );
      await tick();
      if (token !== this.loadToken) return;
      this.resp = resp;
      this.setModel();
      timingMark("model-built");
      this.buildToolbar();
    } catch (err) {
      if (token === this.loadToken)
        this.message("Could not load this graph.", errorText(err), true);
      return;
    }
    const autoExpand = this.st.expanded.size === 0;
    // A cut graph: what the URL opens or selects may lie in scopes the server has not sent.
    // What cannot be fetched is drawn closed, and the status line says why.
    let failed = await this.opener.open().then(() => null, errorText);
    if (token !== this.loadToken) return;
    if (this.st.selection) this.st.selection = this.resolve(this.st.selection);
    if (autoExpand) this.autoExpand();
    if (this.st.selection) this.reveal(this.st.selection);
    failed = failed ?? (await this.opener.open().then(() => null, errorText));
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
    timingMark("ready");
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
    const key = layoutKey(this.st, this.pins, this.pages);
    // Same visible level: keep the DOM (a double click must land on the element its first
    // click hit), only colours and highlights change.
    const sameLevel = this.lay !== null && key === this.layKey;
    if (!sameLevel) {
      this.lay = layout(m, {
        expanded: this.st.expanded,
        showVarEdges: this.st.showVarEdges,
        pinNodes: new Set(this.pins),
        pinScopes: scopesOfNodes(m, this.pins),
        aux: this.aux,
        pages: this.pages,
      });
      this.layKey = key;
    }
    // One decoration for the drawing, the border marks and the side panel: made three times
    // per redraw before, it was 9 ms of the 85 ms redraw that opens a fetched member of a
    // series on the 150k-op graph of benchmarks/side_by_side.py (Chromium's CPU profile).
    const deco = this.decorate();
    if (sameLevel) this.view.redecorate(deco);
    else {
      this.view.draw(this.lay!, deco);
      this.view.labelEdges(edgeLabels(m, this.lay!));
    }
    this.markHighlights(deco);
    this.view.lightEdges(this.tracedEdges());
    this.buildSide(deco);
    const hidden = this.resp && this.st.machinery === "hidden" ? machineryCount(this.resp) : 0;
    this.statusline.textContent = drawnStatus(m, this.lay!.items.size, hidden, this.aux);
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
    if (this.opener.needed()) {
      void this.opener.openThenDraw(after);
      return;
    }
    this.redraw();
    after?.();
  }

  select(sel: NonNullable<Selection>, focus = true): void {
    if (!this.model) return;
    // An op the server has not sent (a search hit, a link in the details) is fetched first.
    const m = this.model;
    const asked = { ...this.st, selection: sel, finding: null };
    const r = this.opener.cut.needs(m, asked).length > 0 ? sel : this.resolve(sel);
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
  private markHighlights(deco: Decoration): void {
    const sel = this.selectedItem();
    this.view.setMarked([...deco.highlight.keys()].filter((id) => id !== sel));
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
    else if (it.kind === "var") {
      // A variable's box selects the variable, whatever its node is named (a trace's captured
      // placeholder is drawn under its reader's scope, drawing.py).
      this.select({ kind: "variable", name: m.variables[m.nodeVar[it.node]].name }, false);
    } else if (it.kind === "op") this.select({ kind: "node", name: m.nodeNames[it.node] }, false);
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
    const expanded = await this.opener.expansionTo(level);
    if (expanded) this.setExpanded(expanded);
  }

  private buildToolbar(): void {
    this.toolbar.replaceChildren(
      ...buildToolbar(this.st, this.choices, {
        pickGraph: (c) => this.pickGraph(c),
        select: (sel) => this.select(sel),
        search: (q) => (this.model ? this.opener.cut.search(this.model, q) : Promise.resolve([])),
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
              this.statusline.textContent = `Could not export: ${errorText(e)}`;
            });
        },
      }),
    );
  }

  private buildSide(deco: Decoration): void {
    const m = this.model;
    if (!m || !this.lay) return;
    const highlights = new Set(deco.highlight.values());
    // Details first, so that a click always updates what is in view (findings can be many).
    this.sidePanel.update(
      { m, st: this.st, lay: this.lay, highlights },
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
