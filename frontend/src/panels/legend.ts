// Legend of the status overlay, or of the owner-scope palette.

import { h } from "../dom";
import { STATUS_MEANING } from "../labels";
import type { Status } from "../model";
import type { ColorMode } from "../state";

const LEGEND: Status[] = ["created", "reused", "shared", "missed", "unused"];

/** What the thick outlines of a selection mean: not a status (a shared variable's creator is green too). */
const HIGHLIGHTS: Array<[string, string, string]> = [
  ["created", "the call site that created the selection", "solid"],
  ["reused", "call sites that reuse it", "dashed"],
  ["missed", "the focused finding's variables", "solid"],
];

export function buildLegend(
  mode: ColorMode,
  owners: Array<[string, string]>,
  highlights: Set<string> = new Set(),
): HTMLElement {
  const sec = h("section", { class: "legend" }, h("h3", {}, "Legend"));
  if (mode === "status") {
    for (const k of LEGEND) {
      const label = STATUS_MEANING[k];
      const sw = h("span", { class: "sw" });
      sw.style.borderColor = `var(--${k})`;
      sw.style.background = `var(--${k}-bg)`;
      sec.append(h("div", { "data-status": k }, sw, label));
    }
  } else if (mode === "owner") {
    if (owners.length === 0) sec.append(h("div", { class: "empty" }, "No variables."));
    for (const [owner, colour] of owners) {
      const sw = h("span", { class: "sw" });
      sw.style.borderColor = colour;
      sw.style.background = colour;
      sec.append(h("div", {}, sw, owner || "(root)"));
    }
  } else sec.append(h("div", { class: "empty" }, "Colouring is off."));
  const shown = HIGHLIGHTS.filter(([k]) => highlights.has(k === "missed" ? "finding" : k));
  if (shown.length) {
    sec.append(h("h3", { class: "outlines" }, "Thick outlines"));
    for (const [k, label, line] of shown) {
      const sw = h("span", { class: "sw" });
      sw.style.border = `3px ${line} var(--${k})`;
      sec.append(h("div", { "data-highlight": k }, sw, label));
    }
  }
  return sec;
}
