// A minimap in a corner of the canvas: the whole drawing in small, the part the
// main view shows as a rectangle; a click or a drag in it pans the main view
// there. The maths (map <-> world) is pure and unit tested; the Minimap class
// only draws and listens.

import { s } from "./dom";
import type { View } from "./focus";
import type { Layout } from "./layout";
import type { Rect } from "./routing";

/** The minimap's own transform: map = (world - origin) * scale + pad. */
export interface MapFrame {
  scale: number;
  ox: number;
  oy: number;
  pad: number;
}

/** Largest size of the minimap in pixels. */
export const MAP_W = 200;
export const MAP_H = 140;

/** The frame that shows world bounds `b` inside a w x h map. */
export function mapFrame(b: Rect, w = MAP_W, h = MAP_H, pad = 4): MapFrame {
  const scale = Math.min((w - 2 * pad) / (b.w || 1), (h - 2 * pad) / (b.h || 1));
  return { scale, ox: b.x, oy: b.y, pad };
}

export function toMap(p: { x: number; y: number }, f: MapFrame): { x: number; y: number } {
  return { x: (p.x - f.ox) * f.scale + f.pad, y: (p.y - f.oy) * f.scale + f.pad };
}

export function fromMap(p: { x: number; y: number }, f: MapFrame): { x: number; y: number } {
  return { x: (p.x - f.pad) / f.scale + f.ox, y: (p.y - f.pad) / f.scale + f.oy };
}

/** The world rectangle a W x H canvas shows under view v. */
export function visibleWorld(v: View, W: number, H: number): Rect {
  return { x: -v.tx / v.k, y: -v.ty / v.k, w: W / v.k, h: H / v.k };
}

export class Minimap {
  readonly el: HTMLDivElement;
  private svg: SVGSVGElement;
  private items: SVGGElement;
  private view: SVGRectElement;
  private frame: MapFrame | null = null;

  /** `centreAt` pans the main view so that a world point is at its centre. */
  constructor(
    parent: HTMLElement,
    private centreAt: (x: number, y: number) => void,
  ) {
    this.el = document.createElement("div");
    this.el.className = "minimap";
    this.el.setAttribute("aria-label", "minimap");
    this.svg = s("svg", { class: "minimap-svg" }) as SVGSVGElement;
    this.items = s("g", { class: "mm-items" }) as SVGGElement;
    this.view = s("rect", { class: "mm-view" }) as SVGRectElement;
    this.svg.append(this.items, this.view);
    this.el.append(this.svg);
    parent.append(this.el);
    let dragging = false;
    const go = (ev: PointerEvent) => {
      if (!this.frame) return;
      const r = this.svg.getBoundingClientRect();
      const p = fromMap({ x: ev.clientX - r.left, y: ev.clientY - r.top }, this.frame);
      this.centreAt(p.x, p.y);
    };
    this.el.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      ev.stopPropagation(); // not a pan of the main canvas
      dragging = true;
      this.el.setPointerCapture?.(ev.pointerId);
      go(ev);
    });
    this.el.addEventListener("pointermove", (ev) => {
      if (dragging) go(ev);
    });
    const stop = () => {
      dragging = false;
    };
    this.el.addEventListener("pointerup", stop);
    this.el.addEventListener("pointercancel", stop);
    // A wheel over the map must not zoom the page or the canvas under it.
    this.el.addEventListener("wheel", (ev) => ev.preventDefault(), { passive: false });
  }

  /** Draws the whole layout in small (boxes only, no text). */
  draw(l: Layout, b: Rect): void {
    const f = (this.frame = mapFrame(b));
    const w = b.w * f.scale + 2 * f.pad;
    const h = b.h * f.scale + 2 * f.pad;
    this.svg.setAttribute("width", w.toFixed(0));
    this.svg.setAttribute("height", h.toFixed(0));
    this.items.replaceChildren();
    for (const it of l.items.values()) {
      const p = toMap(it, f);
      this.items.append(
        s("rect", {
          "data-item": it.id,
          class: it.expanded ? "mm-box" : it.aux ? "mm-aux" : "mm-leaf",
          x: p.x.toFixed(1),
          y: p.y.toFixed(1),
          width: Math.max(1, it.w * f.scale).toFixed(1),
          height: Math.max(1, it.h * f.scale).toFixed(1),
        }),
      );
    }
  }

  /** Moves the viewport rectangle to what the main view shows. */
  update(v: View, W: number, H: number): void {
    const f = this.frame;
    if (!f) return;
    const r = visibleWorld(v, W, H);
    const p = toMap(r, f);
    this.view.setAttribute("x", p.x.toFixed(1));
    this.view.setAttribute("y", p.y.toFixed(1));
    this.view.setAttribute("width", (r.w * f.scale).toFixed(1));
    this.view.setAttribute("height", (r.h * f.scale).toFixed(1));
  }
}
