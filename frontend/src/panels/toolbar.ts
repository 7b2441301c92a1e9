// The toolbar: graph picker, search, colour mode, variable-edge toggle, fit,
// and the link back to TensorBoard's own Graphs dashboard.

import { h } from "../dom";
import type { Model } from "../model";
import {
  type ColorMode,
  type MachineryMode,
  type Selection,
  type ViewState,
  hashWindow,
} from "../state";
import { type GraphChoice, buildPicker } from "./picker";
import { buildSearch } from "./search";

export interface ToolbarActions {
  pickGraph(c: GraphChoice): void;
  select(sel: NonNullable<Selection>): void;
  setColor(mode: ColorMode): void;
  setVarEdges(on: boolean): void;
  setMachinery(mode: MachineryMode): void;
  /** How many drawn nodes are training machinery (0 hides the switch). */
  machinery(): number;
  fit(): void;
  model(): Model | null;
}

/** What the Graphs dashboard link says: where it goes, and what to pick once there. */
export function graphsLinkText(c: GraphChoice): string {
  const what = c.source === "run_graph" ? `run ${c.run}` : `run ${c.run}, tag ${c.tag}`;
  return `Open Graphs dashboard (select ${what} there)`;
}

export function buildToolbar(st: ViewState, choices: GraphChoice[], act: ToolbarActions): Node[] {
  const current = { run: st.run!, tag: st.tag!, source: st.source! };
  const picker = buildPicker(choices, current, act.pickGraph);
  const search = buildSearch(act.model, act.select);
  const color = h("select", { "aria-label": "colour by", class: "color-mode" });
  for (const [v, label] of [
    ["status", "variable status"],
    ["owner", "owner scope"],
    ["none", "nothing"],
  ]) {
    const o = h("option", { value: v }, label);
    o.selected = st.color === v;
    color.append(o);
  }
  color.addEventListener("change", () => act.setColor(color.value as ColorMode));
  const edges = h("input", { type: "checkbox", class: "var-edges" });
  edges.checked = st.showVarEdges;
  edges.addEventListener("change", () => act.setVarEdges(edges.checked));
  const machinery = h("select", { "aria-label": "training machinery", class: "machinery" });
  for (const [v, label] of [
    ["side", "at the side"],
    ["graph", "in the graph"],
    ["hidden", "hidden"],
  ]) {
    const o = h("option", { value: v }, label);
    o.selected = st.machinery === v;
    machinery.append(o);
  }
  machinery.addEventListener("change", () => act.setMachinery(machinery.value as MachineryMode));
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
    h("label", {}, edges, "show variable edges"),
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
    h("span", { class: "spacer" }),
    graphs,
  ];
}
