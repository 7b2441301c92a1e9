// The graph from the keyboard: a roving tabindex over the drawn items (one of them is in the
// Tab order at a time), arrow keys to the nearest item in that direction, Enter or Space to
// expand/collapse a scope or select an op, `/` to the search box, Escape from the search box
// back to the graph (a second Escape clears the selection, app.ts). Also each item's
// accessible name. The geometry and the names are pure and unit-tested; KeyboardNav is the
// DOM glue, hooked into GraphView.draw (render.ts) so focus survives a redraw.

import type { Layout } from "./layout";
import type { Item } from "./visible";
import { type Model, nodeType } from "./model";
import type { GraphView, ViewCallbacks } from "./render";

export type Dir = "left" | "right" | "up" | "down";

export const KEY_DIRS: Record<string, Dir> = {
  ArrowLeft: "left",
  ArrowRight: "right",
  ArrowUp: "up",
  ArrowDown: "down",
};

export interface Rect {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Height of an open box's header strip (its label and "−" expander), see render.ts. */
const HEADER = 30;

/**
 * Where an item is for moving between items: an open box by its header strip, so that its
 * children (inside it, below the header) are "down" from it and it is "up" from them.
 */
export function anchor(it: Item): Rect {
  return { id: it.id, x: it.x, y: it.y, w: it.w, h: it.expanded ? Math.min(HEADER, it.h) : it.h };
}

/**
 * The item to move to from `from` in direction `dir`: among those whose centre lies that way,
 * the one nearest along the direction, with sideways distance (the gap between the two
 * rectangles across the direction, 0 when they overlap) counting three times.
 */
export function nearest(from: Rect, rects: Iterable<Rect>, dir: Dir): string | null {
  const cx = from.x + from.w / 2;
  const cy = from.y + from.h / 2;
  let best: string | null = null;
  let bestCost = Infinity;
  let bestAlong = Infinity;
  for (const r of rects) {
    if (r.id === from.id) continue;
    const rx = r.x + r.w / 2;
    const ry = r.y + r.h / 2;
    const horizontal = dir === "left" || dir === "right";
    const along =
      dir === "right" ? rx - cx : dir === "left" ? cx - rx : dir === "down" ? ry - cy : cy - ry;
    if (along <= 0.5) continue;
    const side = horizontal
      ? Math.max(0, r.y - (from.y + from.h), from.y - (r.y + r.h))
      : Math.max(0, r.x - (from.x + from.w), from.x - (r.x + r.w));
    const cost = along + 3 * side;
    if (cost < bestCost || (cost === bestCost && along < bestAlong)) {
      best = r.id;
      bestCost = cost;
      bestAlong = along;
    }
  }
  return best;
}

/** The first item in reading order (top to bottom, then left to right). */
export function firstInReadingOrder(rects: Iterable<Rect>): string | null {
  let best: Rect | null = null;
  for (const r of rects) if (!best || r.y < best.y || (r.y === best.y && r.x < best.x)) best = r;
  return best ? best.id : null;
}

/**
 * The pan (zoom kept) that brings a rectangle in layout coordinates inside a view of size
 * `view` with `margin` pixels to spare; unchanged when it is already inside. A rectangle
 * larger than the view shows its top-left corner.
 */
export function panToShow(
  r: Rect,
  view: { w: number; h: number },
  k: number,
  tx: number,
  ty: number,
  margin = 24,
): { tx: number; ty: number } {
  const fit = (t: number, pos: number, size: number, span: number) => {
    const a = pos * k + t;
    const b = (pos + size) * k + t;
    if (a >= margin && b <= span - margin) return t;
    if (b - a > span - 2 * margin || a < margin) return margin - pos * k;
    return span - margin - (pos + size) * k;
  };
  return { tx: fit(tx, r.x, r.w, view.w), ty: fit(ty, r.y, r.h, view.h) };
}

/** Accessible name of every drawn item: what it is, its name, and what matters for sharing. */
export function ariaLabels(m: Model, l: Layout): Map<string, string> {
  const out = new Map<string, string>();
  for (const it of l.items.values()) {
    const parts: string[] = [];
    if (it.kind === "scope") {
      const sc = m.scopes[it.scope];
      if (sc.series) parts.push(`series ${sc.path}`, it.note, `${sc.totalOps} ops`);
      else parts.push(`scope ${sc.path}`, `${sc.totalOps} op${sc.totalOps === 1 ? "" : "s"}`);
      parts.push(it.expanded ? "expanded" : "collapsed");
    } else if (it.kind === "more") {
      const page = m.scopes[it.scope].series ? ", press Enter for the next page" : "";
      parts.push(`${it.label} in ${m.scopes[it.scope].path}${page}`);
    } else if (it.kind === "var") {
      const v = m.nodeVar[it.node];
      parts.push(`variable ${v >= 0 ? m.variables[v].name : m.nodeNames[it.node]}`);
      if (v >= 0) parts.push(m.variables[v].status);
    } else {
      parts.push(`op ${m.nodeNames[it.node]} (${nodeType(m, it.node) || "?"})`);
    }
    parts.push(...it.reuses);
    out.set(it.id, parts.join(", "));
  }
  return out;
}

const FORM_FIELD = /^(INPUT|SELECT|TEXTAREA)$/;

/** The roving tabindex and the keys on the graph's items. */
export class KeyboardNav {
  /** The item that is in the Tab order (tabindex 0). */
  private current: string | null = null;

  constructor(
    private view: GraphView,
    private cb: Pick<ViewCallbacks, "select" | "toggle">,
  ) {
    const svg = view.svg;
    view.onDraw = (hadFocus) => this.restore(hadFocus);
    svg.addEventListener("focusin", (ev) => {
      const id = (ev.target as Element).getAttribute?.("data-id");
      if (id) this.setCurrent(id);
    });
    svg.addEventListener("keydown", (ev) => this.onKey(ev));
  }

  private element(id: string | null): SVGElement | null {
    if (id === null) return null;
    return this.view.svg.querySelector(`.g-item[data-id="${CSS.escape(id)}"]`);
  }

  private rects(): Rect[] {
    const l = this.view.current;
    return l ? [...l.items.values()].map(anchor) : [];
  }

  private setCurrent(id: string): void {
    if (id === this.current && this.element(id)?.getAttribute("tabindex") === "0") return;
    this.element(this.current)?.setAttribute("tabindex", "-1");
    this.current = id;
    this.element(id)?.setAttribute("tabindex", "0");
  }

  /** After a redraw: the same item (or the first one) is in the Tab order, focused again if it was. */
  private restore(hadFocus: boolean): void {
    const l = this.view.current;
    if (!l) return;
    let id = this.current !== null && l.items.has(this.current) ? this.current : null;
    id ??= firstInReadingOrder(this.rects());
    if (id === null) return;
    this.current = null;
    this.setCurrent(id);
    if (hadFocus) this.focus(id);
  }

  private focus(id: string): void {
    this.setCurrent(id);
    this.view.panIntoView(id);
    this.element(id)?.focus({ preventScroll: true });
  }

  /** Put the keyboard focus back on the graph (from the search box). */
  focusGraph(): void {
    const id = this.current ?? firstInReadingOrder(this.rects());
    if (id !== null) this.focus(id);
  }

  private onKey(ev: KeyboardEvent): void {
    const id = (ev.target as Element).getAttribute?.("data-id");
    const it = id ? this.view.current?.items.get(id) : undefined;
    if (!id || !it) return;
    const dir = KEY_DIRS[ev.key];
    if (dir) {
      ev.preventDefault();
      const next = nearest(anchor(it), this.rects(), dir);
      if (next !== null) this.focus(next);
    } else if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      if (it.kind === "scope") this.cb.toggle(id);
      else this.cb.select(id);
    }
  }
}

/** `/` anywhere but in a form field focuses the search box; Escape in it returns to the graph. */
export function installShortcuts(root: HTMLElement, focusGraph: () => void): void {
  document.addEventListener("keydown", (ev) => {
    const t = ev.target as HTMLElement | null;
    const search = root.querySelector<HTMLInputElement>(".search input");
    if (!search) return;
    if (ev.key === "/" && !(t && FORM_FIELD.test(t.tagName))) {
      ev.preventDefault();
      search.focus();
      search.select();
    } else if (ev.key === "Escape" && t === search) focusGraph();
  });
}
