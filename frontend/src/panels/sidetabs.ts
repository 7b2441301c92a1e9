// The side panel's frame: Details always on top (a click on the graph always
// updates what is in view), then tabs for Findings and Variables, then the legend
// at the bottom so the colours stay explained whatever tab is open. Only the open
// tab is built; each tab keeps its scroll position across rebuilds.

import { h } from "../dom";
import { ownerColour } from "../decorate";
import type { Layout } from "../layout";
import type { Model } from "../model";
import type { Selection, ViewState } from "../state";
import { type DetailsActions, buildDetails } from "./details";
import { buildFindings, buildWarnings } from "./findings";
import { buildLegend } from "./legend";
import { VariablesPanel } from "./variables";

export type SideTab = "findings" | "variables";

export interface TabSpec {
  id: SideTab;
  /** The tab's label (text and spans: counts). */
  label: Array<Node | string>;
  build(): HTMLElement;
}

export class SidePanel {
  private details = h("div", { class: "side-details" });
  private nav = h("div", { class: "sidetabs", role: "tablist", "aria-label": "side panel" });
  private body = h("div", { class: "side-body", role: "tabpanel" });
  private legend = h("div", { class: "side-legend" });
  private scroll = new Map<SideTab, number>();
  private specs: TabSpec[] = [];

  constructor(
    private side: HTMLElement,
    private tab: SideTab = "findings",
    /** Called after the panel changed width (the variables tab is wider): the graph's room changed. */
    private onResize: () => void = () => {},
  ) {
    side.append(this.details, this.nav, this.body, this.legend);
    // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
    this.nav.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const i = this.specs.findIndex((t) => t.id === this.tab);
      const n = this.specs.length;
      const next = this.specs[(i + (e.key === "ArrowRight" ? 1 : n - 1)) % n];
      if (!next) return;
      this.show(next.id);
      (this.nav.querySelector(`[data-tab="${next.id}"]`) as HTMLElement | null)?.focus();
    });
  }

  get current(): SideTab {
    return this.tab;
  }

  show(tab: SideTab): void {
    if (tab === this.tab) return;
    this.scroll.set(this.tab, this.body.scrollTop);
    this.tab = tab;
    this.render();
    this.body.scrollTop = this.scroll.get(tab) ?? 0;
  }

  private detailsKey = "";

  /** `key` names what the details show: a new one starts them at their top. */
  update(details: HTMLElement, tabs: TabSpec[], legend: HTMLElement, key: string): void {
    const detailsScroll = key === this.detailsKey ? this.details.scrollTop : 0;
    this.detailsKey = key;
    this.details.replaceChildren(details);
    this.details.scrollTop = detailsScroll;
    this.legend.replaceChildren(legend);
    this.specs = tabs;
    const keep = this.body.scrollTop;
    this.render();
    this.body.scrollTop = keep;
  }

  private render(): void {
    this.nav.replaceChildren(
      ...this.specs.map((t) => {
        const b = h(
          "button",
          {
            type: "button",
            class: "sidetab",
            role: "tab",
            "data-tab": t.id,
            "aria-selected": t.id === this.tab ? "true" : "false",
            tabindex: t.id === this.tab ? 0 : -1,
          },
          ...t.label,
        );
        b.addEventListener("click", () => this.show(t.id));
        return b;
      }),
    );
    // The variables table needs room for its columns.
    const wide = this.tab === "variables";
    const changed = this.side.classList.contains("wide") !== wide;
    this.side.classList.toggle("wide", wide);
    if (changed) this.onResize();
    const spec = this.specs.find((t) => t.id === this.tab) ?? this.specs[0];
    this.body.setAttribute("data-tab", spec?.id ?? "");
    this.body.replaceChildren(...(spec ? [spec.build()] : []));
  }
}

/** "Findings (1 bug · 2 notes · 1 warning)", the bug count in the bug colour; "(0)" when clean. */
export function findingsLabel(bugs: number, notes: number, warnings: number): Array<Node | string> {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const parts: Node[] = [];
  if (bugs) parts.push(h("span", { class: "n-bugs" }, plural(bugs, "bug")));
  if (notes) parts.push(h("span", { class: "n-notes" }, plural(notes, "note")));
  if (warnings) parts.push(h("span", { class: "n-warnings" }, plural(warnings, "warning")));
  if (!parts.length) return ["Findings (0)"];
  const out: Array<Node | string> = ["Findings ("];
  parts.forEach((p, i) => out.push(...(i ? [" · ", p] : [p])));
  out.push(")");
  return out;
}

export interface SideActions {
  select(sel: NonNullable<Selection>): void;
  focusFinding(i: number): void;
  /** "trace inputs" on the selected op (details.ts). */
  trace?: DetailsActions["trace"];
}

export interface SideInput {
  m: Model;
  st: ViewState;
  lay: Layout;
  /** Kinds of thick outlines on the graph now (created, reused, finding). */
  highlights: Set<string>;
}

/** The side panel's contents for the current state: details, the two tabs, the legend. */
export class Side {
  private panel: SidePanel;
  private vars = new VariablesPanel();

  constructor(side: HTMLElement, onResize: () => void) {
    this.panel = new SidePanel(side, "findings", onResize);
  }

  update({ m, st, lay, highlights }: SideInput, act: SideActions): void {
    const truncated = lay.truncated.map((t) => ({
      path: m.scopes[t.scope].path,
      shown: t.shown,
      hidden: t.hidden,
    }));
    const owners = m.owners.map((o, i) => [o, ownerColour(i)] as [string, string]);
    const f = m.findings;
    const bugs = f.filter((x) => x.severity === "bug").length;
    const warnings = m.warnings.reduce((n, w) => n + w.count, 0);
    const sel = st.selection;
    const selectVar = (name: string) => act.select({ kind: "variable", name });
    this.panel.update(
      buildDetails(m, sel, truncated, { select: (s) => act.select(s), trace: act.trace }),
      [
        {
          id: "findings",
          label: findingsLabel(bugs, f.length - bugs, warnings),
          build: () =>
            h(
              "div",
              {},
              buildFindings(f, st.finding, (i) => act.focusFinding(i), {
                names: new Set(m.varByName.keys()),
                select: selectVar,
                ownerOf: (name) => {
                  const i = m.varByName.get(name);
                  return i === undefined ? undefined : m.variables[i].owner_scope;
                },
                selectScope: (path) => act.select({ kind: "scope", name: path }),
              }),
              buildWarnings(m.warnings),
            ),
        },
        {
          id: "variables",
          label: [`Variables (${m.variables.length.toLocaleString("en-US")})`],
          build: () => this.vars.build(m, sel?.kind === "variable" ? sel.name : null, selectVar),
        },
      ],
      buildLegend(st.color, owners, highlights),
      sel ? `${sel.kind}:${sel.name}` : "",
    );
  }
}
