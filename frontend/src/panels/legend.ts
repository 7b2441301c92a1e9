// Legend of the status overlay, or of the owner-scope palette.

import { h } from "../dom";
import type { ColorMode } from "../state";

export const STATUS_LABELS: Array<[string, string]> = [
  ["created", "created here (one call site)"],
  ["reused", "reused from another scope"],
  ["shared", "shared (two or more call sites)"],
  ["missed", "possible missed sharing"],
  ["unused", "unused"],
];

export function buildLegend(mode: ColorMode, owners: Array<[string, string]>): HTMLElement {
  const sec = h("section", { class: "legend" }, h("h3", {}, "Legend"));
  if (mode === "status") {
    for (const [k, label] of STATUS_LABELS) {
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
  return sec;
}
