// A handle on the side panel's left edge: drag it to give the panel (and its
// variables table) more or less room. The width the user picks wins over the
// panel's defaults until the page is reloaded.

import { h } from "../dom";

const MIN = 260;

export function addSplitter(side: HTMLElement): HTMLElement {
  const handle = h("div", {
    class: "splitter",
    role: "separator",
    "aria-orientation": "vertical",
    "aria-label": "resize the side panel",
    title: "drag to resize the side panel",
  });
  let start: { x: number; w: number } | null = null;
  handle.addEventListener("pointerdown", (e) => {
    start = { x: e.clientX, w: side.getBoundingClientRect().width };
    handle.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  handle.addEventListener("pointermove", (e) => {
    if (!start) return;
    const max = Math.max(MIN, window.innerWidth * 0.8);
    const w = Math.min(max, Math.max(MIN, start.w + start.x - e.clientX));
    side.style.width = `${Math.round(w)}px`;
  });
  const end = () => {
    start = null;
  };
  handle.addEventListener("pointerup", end);
  handle.addEventListener("pointercancel", end);
  side.before(handle);
  return handle;
}
