// Run/graph picker: one option per (run, graph) from `./runs`, labelled in words
// ("run graph", "trace train_step", "Keras model") so two graphs of one run can be
// told apart without TensorBoard's internal tag names.

import type { RunsResponse } from "../contract";
import { h } from "../dom";
import type { ViewState } from "../state";

export interface GraphChoice {
  run: string;
  tag: string;
  source: string;
  /** The listing's version of the graph (contract `version`); changes when it is rewritten. */
  version?: string;
}

export function allChoices(runs: RunsResponse): GraphChoice[] {
  return runs.runs.flatMap((r) =>
    r.graphs.map((g) => ({ run: r.run, tag: g.tag, source: g.source, version: g.version })),
  );
}

/**
 * The graph a view state names, or the first one; then the state's selection and open scopes,
 * which were another graph's, are dropped.
 */
export function choiceFor(choices: GraphChoice[], st: ViewState): GraphChoice {
  const want = choices.find(
    (c) =>
      c.run === st.run &&
      (st.tag === null || c.tag === st.tag) &&
      (st.source === null || c.source === st.source),
  );
  if (!want) {
    st.selection = null;
    st.expanded = new Set();
  }
  return want ?? choices[0];
}

/** What a graph is, in words: `__run_graph__` is the run's graph, a trace is named by its tag. */
export function graphWords(c: GraphChoice): string {
  if (c.source === "trace") return `trace ${c.tag}`;
  if (c.source === "keras_model") return "Keras model";
  return "run graph";
}

export function buildPicker(
  choices: GraphChoice[],
  current: GraphChoice,
  onPick: (c: GraphChoice) => void,
): HTMLElement {
  const sel = h("select", { "aria-label": "run and graph", class: "picker" });
  choices.forEach((c, i) => {
    const opt = h("option", { value: String(i) }, `${c.run} — ${graphWords(c)}`);
    if (c.run === current.run && c.tag === current.tag && c.source === current.source)
      opt.selected = true;
    sel.append(opt);
  });
  sel.addEventListener("change", () => onPick(choices[Number(sel.value)]));
  return h("label", {}, "Graph", sel);
}

/** Puts a new picker in place of the one in `toolbar` (after a reload), keeping its focus. */
export function replacePicker(toolbar: HTMLElement, picker: HTMLElement): void {
  const old = toolbar.querySelector("select.picker");
  old?.closest("label")?.replaceWith(picker);
  if (old && document.activeElement === old) picker.querySelector("select")?.focus();
}
