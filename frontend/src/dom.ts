// Tiny DOM helpers. Everything from the graph goes through textContent or
// attributes, never innerHTML: node names are untrusted text.

export const SVG_NS = "http://www.w3.org/2000/svg";

type Attrs = Record<string, string | number | boolean | null | undefined>;

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...kids: Array<Node | string | null>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const k of kids) if (k !== null) el.append(k); // strings become text nodes
  return el;
}

export function s(tag: string, attrs: Attrs = {}, text?: string): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  setAttrs(el, attrs);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A clickable inline link that runs `onClick` (no navigation). */
export function link(text: string, onClick: () => void, attrs: Attrs = {}): HTMLAnchorElement {
  const a = h("a", { href: "#", class: "lnk", ...attrs }, text);
  a.addEventListener("click", (ev) => {
    ev.preventDefault();
    onClick();
  });
  return a;
}

export const tick = () => new Promise<void>((r) => setTimeout(r));

/**
 * A User Timing mark ("scopes:model-built"): DevTools' Performance panel shows where a load
 * spends its time, and benchmarks/side_by_side.py reads the split from the page.
 */
export function timingMark(name: string): void {
  performance.mark(`scopes:${name}`);
}
