// The layer over the canvas while there is nothing to draw yet: a spinner with the stage a
// load is at ("Fetching graph…", the server's "Analysing … 62%"), or a message that says
// why nothing is drawn (no runs, an unreadable graph).

import { h } from "../dom";

export class Overlay {
  readonly el = h("div", { class: "overlay" });

  /** A spinner and what the tab is doing. */
  progress(text: string): void {
    this.el.className = "overlay";
    this.el.hidden = false;
    this.el.replaceChildren(
      h("div", { class: "spinner" }),
      h("div", { class: "progress-text" }, text),
    );
  }

  /** Why nothing is drawn, in one sentence and a detail; `error` styles it as a failure. */
  message(text: string, detail: string, error: boolean): void {
    this.el.className = error ? "overlay error" : "overlay";
    this.el.hidden = false;
    this.el.replaceChildren(
      h("div", { class: "msg", style: "font-size:16px" }, text),
      h("div", {}, detail),
    );
  }

  hide(): void {
    this.el.hidden = true;
  }
}
