// Run/graph picker: one option per (run, graph) from `./runs`, labelled with
// the tag and its source so two graphs of one run can be told apart.

import type { RunsResponse } from "../contract";
import { h } from "../dom";

export interface GraphChoice {
  run: string;
  tag: string;
  source: string;
}

export function allChoices(runs: RunsResponse): GraphChoice[] {
  return runs.runs.flatMap((r) =>
    r.graphs.map((g) => ({ run: r.run, tag: g.tag, source: g.source })),
  );
}

export function buildPicker(
  choices: GraphChoice[],
  current: GraphChoice,
  onPick: (c: GraphChoice) => void,
): HTMLElement {
  const sel = h("select", { "aria-label": "run and graph", class: "picker" });
  choices.forEach((c, i) => {
    const opt = h("option", { value: String(i) }, `${c.run} — ${c.tag} (${c.source})`);
    if (c.run === current.run && c.tag === current.tag && c.source === current.source)
      opt.selected = true;
    sel.append(opt);
  });
  sel.addEventListener("change", () => onPick(choices[Number(sel.value)]));
  return h("label", {}, "Graph", sel);
}
