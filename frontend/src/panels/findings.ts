// Findings panel: every possible missed sharing; clicking one focuses its variables.

import type { Finding } from "../contract";
import { h } from "../dom";

export function buildFindings(
  findings: Finding[],
  active: number | null,
  onPick: (i: number) => void,
): HTMLElement {
  const sec = h("section", { class: "findings" }, h("h3", {}, `Findings (${findings.length})`));
  if (findings.length === 0) {
    sec.append(h("div", { class: "empty" }, "No possible missed sharing found."));
    return sec;
  }
  findings.forEach((f, i) => {
    const ev = h("ul", {});
    for (const e of f.evidence) ev.append(h("li", {}, e));
    const card = h(
      "div",
      {
        class: "finding" + (active === i ? " active" : ""),
        "data-finding": String(i),
        "data-confidence": f.confidence,
        role: "button",
        tabindex: 0,
      },
      h("div", { class: `conf ${f.confidence}` }, `${f.confidence} confidence`),
      h("div", { class: "msg", title: f.message }, f.message),
      ev,
    );
    card.addEventListener("click", () => onPick(i));
    card.addEventListener("keydown", (e) => {
      if (e.key === "Enter") onPick(i);
    });
    sec.append(card);
  });
  return sec;
}
