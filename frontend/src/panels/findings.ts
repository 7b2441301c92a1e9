// Findings panel: bugs first, each with its evidence and fix; notes (alike layers
// that are probably intended) muted and grouped; clicking one focuses its variables.
// Warnings (what the backend could not read) follow, counted.

import type { Finding, GraphWarning } from "../contract";
import { h, link } from "../dom";
import { findingScopes, splitNames } from "../textlinks";

const EVIDENCE_SHOWN = 5; // longer evidence lists sit behind "show all"

/** Variable names in a finding's text become links that select the variable; its scopes too. */
export interface NameLinks {
  names: ReadonlySet<string>;
  select(name: string): void;
  /** Owner scope of a variable, to link the scopes a finding names ("tower and tower_1"). */
  ownerOf(name: string): string | undefined;
  selectScope(path: string): void;
}

/** Text with every known variable name (and the finding's scopes) in it as links; the rest stays text. */
function linked(text: string, f: Finding, links: NameLinks | undefined): Array<Node | string> {
  if (!links) return [text];
  const scopes = findingScopes(f.variables, links.ownerOf);
  const known = new Set([...scopes, ...links.names]);
  return splitNames(text, known).map((p) => {
    if (p.name === undefined) return p.text;
    const name = p.name;
    const isVar = links.names.has(name);
    const a = isVar
      ? link(name, () => links.select(name), { class: "lnk var-link", "data-variable": name })
      : link(name, () => links.selectScope(name), { class: "lnk scope-link", "data-scope": name });
    // Selecting it is not a click on the card (which focuses the finding).
    a.addEventListener("click", (e) => e.stopPropagation());
    a.addEventListener("keydown", (e) => e.stopPropagation());
    return a;
  });
}

export function buildFindings(
  findings: readonly Finding[],
  active: number | null,
  onPick: (i: number) => void,
  links?: NameLinks,
): HTMLElement {
  const bugs = findings.map((f, i) => [f, i] as const).filter(([f]) => f.severity === "bug");
  const notes = findings.map((f, i) => [f, i] as const).filter(([f]) => f.severity !== "bug");
  // "Bugs", not "Findings": the tab's label counts notes and warnings too.
  const sec = h("section", { class: "findings" }, h("h3", {}, `Bugs (${bugs.length})`));
  if (bugs.length === 0) sec.append(h("div", { class: "empty" }, "No bugs found."));
  for (const [f, i] of bugs) sec.append(card(f, i, active, onPick, links));
  if (notes.length) {
    const group = h(
      "details",
      { class: "notes" },
      h("summary", {}, `Notes (${notes.length}): alike layers, probably intended`),
    );
    if (notes.some(([, i]) => i === active)) group.setAttribute("open", "");
    for (const [f, i] of notes) group.append(card(f, i, active, onPick, links));
    sec.append(group);
  }
  return sec;
}

function card(
  f: Finding,
  i: number,
  active: number | null,
  onPick: (i: number) => void,
  links: NameLinks | undefined,
) {
  const ev = h("ul", {});
  f.evidence.forEach((e, n) => {
    const li = h("li", {}, ...linked(e, f, links));
    if (n >= EVIDENCE_SHOWN) li.setAttribute("hidden", "");
    ev.append(li);
  });
  if (f.evidence.length > EVIDENCE_SHOWN) {
    const more = h(
      "button",
      { type: "button", class: "show-all" },
      `show all ${f.evidence.length}`,
    );
    more.addEventListener("click", (e) => {
      e.stopPropagation();
      ev.querySelectorAll("li[hidden]").forEach((li) => li.removeAttribute("hidden"));
      more.remove();
    });
    ev.append(more);
  }
  const el = h(
    "div",
    {
      class: `finding ${f.severity}` + (active === i ? " active" : ""),
      "data-finding": String(i),
      "data-confidence": f.confidence,
      "data-severity": f.severity,
      role: "button",
      tabindex: 0,
    },
    h("div", { class: `conf ${f.confidence}` }, `${f.label} · ${f.confidence} confidence`),
    h("div", { class: "msg", title: f.message }, ...linked(f.message, f, links)),
    ev,
  );
  if (f.fix) el.append(h("div", { class: "fix" }, h("b", {}, "Fix: "), f.fix));
  el.addEventListener("click", () => onPick(i));
  el.addEventListener("keydown", (e) => {
    if (e.key === "Enter") onPick(i);
  });
  return el;
}

export function buildWarnings(warnings: readonly GraphWarning[]): HTMLElement {
  const sec = h("section", { class: "warnings" });
  if (!warnings.length) return sec;
  sec.append(h("h3", {}, `Warnings (${warnings.reduce((n, w) => n + w.count, 0)})`));
  const ul = h("ul", {});
  for (const w of warnings)
    ul.append(
      h("li", { "data-warning": w.kind }, w.message + (w.count > 1 ? ` (${w.count} times)` : "")),
    );
  sec.append(ul);
  return sec;
}
