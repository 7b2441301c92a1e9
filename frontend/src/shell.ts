// The tab's frame: the toolbar above, the canvas and the side panel below it, and the status
// line on the canvas. The controller (app.ts) fills them.

import { h } from "./dom";

export interface Shell {
  root: HTMLDivElement;
  toolbar: HTMLDivElement;
  canvas: HTMLDivElement;
  side: HTMLDivElement;
  statusline: HTMLDivElement;
}

export function buildShell(parent: HTMLElement): Shell {
  const shell: Shell = {
    root: h("div", { id: "scopes-root", "data-state": "loading" }),
    toolbar: h("div", { class: "toolbar" }),
    canvas: h("div", { class: "canvas" }),
    side: h("div", { class: "side" }),
    statusline: h("div", { class: "statusline" }),
  };
  shell.root.append(shell.toolbar, h("div", { class: "main" }, shell.canvas, shell.side));
  parent.append(shell.root);
  return shell;
}

/** Escape anywhere but in a text field or a menu: `handler` (the controller clears the selection). */
export function onEscape(handler: () => void): void {
  document.addEventListener("keydown", (ev) => {
    const t = ev.target as HTMLElement | null;
    if (ev.key !== "Escape" || (t && /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    handler();
  });
}
