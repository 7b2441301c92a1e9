// The toolbar: graph picker, search, colour mode, variable-edge toggle, fit,
// collapse all / expand to a level, the export menu, and the link back to
// TensorBoard's own Graphs dashboard.

import { h } from "../dom";
import { maxLevel } from "../expand";
import type { Model } from "../model";
import {
  type ColorMode,
  type MachineryMode,
  type Selection,
  type ViewState,
  hashWindow,
} from "../state";
import { type GraphChoice, buildPicker } from "./picker";
import { type RemoteSearch, buildSearch } from "./search";

export interface ToolbarActions {
  pickGraph(c: GraphChoice): void;
  select(sel: NonNullable<Selection>): void;
  /** The server's search over the whole graph, for a cut graph. */
  search: RemoteSearch;
  setColor(mode: ColorMode): void;
  setVarEdges(on: boolean): void;
  setMachinery(mode: MachineryMode): void;
  /** How many drawn nodes are training machinery (0 hides the switch). */
  machinery(): number;
  fit(): void;
  model(): Model | null;
  collapseAll(): void;
  expandTo(level: number): void;
  export(kind: "svg" | "png" | "csv"): void;
}

/** "Collapse all", and a select that expands every drawn scope down to a level. */
function levelControls(m: Model | null, act: ToolbarActions): HTMLElement[] {
  const collapse = h(
    "button",
    { type: "button", class: "collapse-all", title: "Collapse every scope" },
    "Collapse all",
  );
  collapse.addEventListener("click", () => act.collapseAll());
  const level = h("select", { class: "expand-level", "aria-label": "expand to level" });
  level.append(h("option", { value: "" }, "Expand to…"));
  // Filled again whenever the user reaches for it: a cut graph learns its deeper levels (the
  // series inside its closed scopes) as scopes are sent, after the toolbar was built.
  const fill = (model: Model | null) => {
    const levels = Math.max(1, model ? Math.min(6, maxLevel(model)) : 0);
    if (level.options.length === levels + 1) return; // unchanged: leave the open menu alone
    while (level.options.length > 1) level.remove(1);
    for (let i = 1; i <= levels; i++) level.append(h("option", { value: String(i) }, `level ${i}`));
  };
  fill(m);
  for (const ev of ["focus", "pointerdown"]) level.addEventListener(ev, () => fill(act.model()));
  level.title = "Expand every scope down to a level";
  level.addEventListener("change", () => {
    if (level.value) act.expandTo(Number(level.value));
    level.value = "";
  });
  return [collapse, level];
}

/** The export menu: the drawing as SVG or PNG, the variables as CSV. */
function exportMenu(act: ToolbarActions): HTMLElement {
  const menu = h("details", { class: "export-menu" }, h("summary", {}, "Export"));
  const list = h("div", { class: "menu", role: "menu" });
  for (const [kind, label] of [
    ["svg", "Drawing as SVG"],
    ["png", "Drawing as PNG"],
    ["csv", "Variables as CSV"],
  ] as const) {
    const b = h("button", { type: "button", role: "menuitem", class: `export-${kind}` }, label);
    b.addEventListener("click", () => {
      menu.removeAttribute("open");
      act.export(kind);
    });
    list.append(b);
  }
  menu.append(list);
  return menu;
}

/** What the Graphs dashboard link says: where it goes, and what to pick once there. */
export function graphsLinkText(c: GraphChoice): string {
  const what = c.source === "run_graph" ? `run ${c.run}` : `run ${c.run}, tag ${c.tag}`;
  return `Open Graphs dashboard (select ${what} there)`;
}

/** A menu of a view-state mode: [value, words] options, the current one selected. */
function modeSelect<T extends string>(
  label: string,
  cls: string,
  options: Array<[T, string]>,
  current: T,
  onChange: (mode: T) => void,
): HTMLSelectElement {
  const sel = h("select", { "aria-label": label, class: cls });
  for (const [value, words] of options) {
    const o = h("option", { value }, words);
    o.selected = current === value;
    sel.append(o);
  }
  sel.addEventListener("change", () => onChange(sel.value as T));
  return sel;
}

export function buildToolbar(st: ViewState, choices: GraphChoice[], act: ToolbarActions): Node[] {
  const current = { run: st.run!, tag: st.tag!, source: st.source! };
  const picker = buildPicker(choices, current, act.pickGraph);
  const search = buildSearch(act.model, act.select, act.search);
  const color = modeSelect<ColorMode>(
    "colour by",
    "color-mode",
    [
      ["status", "variable status"],
      ["owner", "owner scope"],
      ["none", "nothing"],
    ],
    st.color,
    act.setColor,
  );
  const edges = h("input", { type: "checkbox", class: "var-edges" });
  edges.checked = st.showVarEdges;
  edges.addEventListener("change", () => act.setVarEdges(edges.checked));
  const machinery = modeSelect<MachineryMode>(
    "training machinery",
    "machinery",
    [
      ["side", "at the side"],
      ["graph", "in the graph"],
      ["hidden", "hidden"],
    ],
    st.machinery,
    act.setMachinery,
  );
  const machineryCount = act.machinery();
  const fit = h(
    "button",
    { type: "button", class: "fit", title: "Fit the graph to the view" },
    "Fit",
  );
  fit.addEventListener("click", () => act.fit());
  // The Graphs dashboard lives in the parent TensorBoard page: link there. TensorBoard 2.21's
  // Graphs dashboard always opens on its first run and tag: its tf-graph-dashboard reads a
  // `run` hash key, but its tf-graph-controls keep their own private selected-run index (0,
  // and reset to 0 whenever the run list changes) and draw that one (read in
  // site-packages/tensorboard/webfiles.zip index.js: _selectedRunIndex, _datasetsChanged,
  // _determineSelectedDataset). No hash key or stored setting picks its run, so the link says
  // what to select there. `run=` is kept: that dashboard validates it, and a later one may honour it.
  const w = hashWindow();
  const graphs = h(
    "a",
    {
      class: "graphs-link",
      target: "_top",
      href: `${w.location.pathname}${w.location.search}#graphs&run=${encodeURIComponent(st.run ?? "")}`,
      title: "TensorBoard's Graphs dashboard opens on its first run; pick this run in its Run menu",
    },
    graphsLinkText(current),
  );
  return [
    picker,
    search,
    h("label", {}, "Colour by", color),
    h(
      "label",
      { title: "draw an edge from each variable to the ops that read it" },
      edges,
      "variable edges",
    ),
    ...(machineryCount > 0
      ? [
          h(
            "label",
            { title: "optimizer, gradients, metrics, checkpointing and summaries" },
            `Training machinery (${machineryCount.toLocaleString("en-US")})`,
            machinery,
          ),
        ]
      : []),
    fit,
    ...levelControls(act.model(), act),
    exportMenu(act),
    h("span", { class: "spacer" }),
    graphs,
  ];
}
