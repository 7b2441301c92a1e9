// SVG drawing of a computed Layout: boxes, op/variable nodes, edges, badges,
// plus pan (drag), zoom (wheel) and fit. No layout maths here: positions come
// from layout.ts, colours/highlights from the Decoration the app computes.

import { s } from "./dom";
import { panToShow } from "./keyboard";
import {
  type View,
  borderArrow,
  bounds,
  centreView,
  fitView,
  openedZoom,
  startView,
  focusView,
  onScreen,
  READABLE_K,
} from "./focus";
import { Minimap } from "./minimap";
import { type Layout, OP_H, SCOPE_H, linksText, linksWidth, shorten } from "./layout";
import { type Item } from "./visible";
import { edgeKey, midpoint, placeLabels } from "./edgelabels";

export interface Decoration {
  /** Item id -> status category for the colour overlay. */
  status: Map<string, string>;
  /** Item id -> CSS colour in "colour by owner" mode. */
  tint: Map<string, string>;
  /** Item id -> created | reused | finding | trace (upstream of the selected op). */
  highlight: Map<string, string>;
  selected: string | null;
  /** Item id -> full name (scope path or node name), for data-name and tooltips. */
  names: Map<string, string>;
  /** Item id -> secondary line (op type, op count). */
  sub: Map<string, string>;
  /** Item id -> accessible name (keyboard.ts ariaLabels); the full name when absent. */
  aria?: Map<string, string>;
}

export interface ViewCallbacks {
  select(id: string): void;
  toggle(id: string): void;
  clearSelection(): void;
}

export class GraphView {
  readonly svg: SVGSVGElement;
  private viewport: SVGGElement;
  private k = 1;
  private tx = 0;
  private ty = 0;
  private layout: Layout | null = null;
  /** Item id -> its <g>, so a new selection only updates attributes. */
  private els = new Map<string, SVGElement>();
  /** Called after each draw, told whether the keyboard focus was in the graph (keyboard.ts). */
  onDraw: ((hadFocus: boolean) => void) | null = null;
  /** Arrows on the canvas border to the marked items that are off-screen. */
  private arrows: SVGGElement;
  private marked: string[] = [];
  private names = new Map<string, string>();
  private minimap: Minimap;

  constructor(
    parent: HTMLElement,
    private cb: ViewCallbacks,
  ) {
    this.svg = s("svg", {
      class: "graph",
      role: "group",
      "aria-label": "scope graph",
      tabindex: -1, // Chromium puts an <svg> in the Tab order: only its items belong there
    }) as SVGSVGElement;
    const defs = s("defs");
    const marker = s("marker", {
      id: "arrow",
      viewBox: "0 0 10 10",
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: "auto-start-reverse",
    });
    marker.append(s("path", { d: "M0,0 L10,5 L0,10 z" }));
    defs.append(marker);
    this.viewport = s("g", { class: "viewport" }) as SVGGElement;
    this.arrows = s("g", { class: "offscreen-arrows" }) as SVGGElement;
    this.svg.append(defs, this.viewport, this.arrows);
    parent.append(this.svg);
    this.minimap = new Minimap(parent, (x, y) => this.centreAt(x, y));
    this.installPanZoom();
  }

  private apply(): void {
    this.viewport.setAttribute("transform", `translate(${this.tx},${this.ty}) scale(${this.k})`);
    this.updateArrows();
    const { W, H } = this.size();
    this.minimap.update({ k: this.k, tx: this.tx, ty: this.ty }, W, H);
  }

  /** Pan (zoom unchanged) so that a world point is at the canvas centre. */
  centreAt(x: number, y: number): void {
    const { W, H } = this.size();
    this.setView({ k: this.k, tx: W / 2 - x * this.k, ty: H / 2 - y * this.k });
  }

  /** Everything drawn: items, machinery columns, edge routes. */
  private extent(): ReturnType<typeof bounds> {
    const l = this.layout;
    if (!l) return null;
    return bounds(
      [...l.items.values(), ...l.auxAreas],
      l.edges.flatMap((e) => e.points),
    );
  }

  private size(): { W: number; H: number } {
    const r = this.svg.getBoundingClientRect();
    return { W: r.width || 800, H: r.height || 600 };
  }

  private setView(v: View): void {
    this.k = v.k;
    this.tx = v.tx;
    this.ty = v.ty;
    this.apply();
  }

  /** Items (the highlighted call sites) that get a border arrow while off-screen. */
  setMarked(ids: string[]): void {
    this.marked = ids;
    this.updateArrows();
  }

  private updateArrows(): void {
    const l = this.layout;
    this.arrows.replaceChildren();
    if (!l || this.marked.length === 0) return;
    const { W, H } = this.size();
    const v = { k: this.k, tx: this.tx, ty: this.ty };
    const placed: Array<{ x: number; y: number }> = [];
    for (const id of this.marked) {
      const it = l.items.get(id);
      if (!it || onScreen(it, v, W, H)) continue;
      const a = borderArrow(it, v, W, H);
      // Arrows that would overlap slide along their border.
      const onTopOrBottom = Math.abs(a.y - 18) < 1 || Math.abs(a.y - (H - 18)) < 1;
      for (let n = 0; n < 50 && placed.some((p) => Math.hypot(p.x - a.x, p.y - a.y) < 28); n++) {
        if (onTopOrBottom) a.x = Math.min(W - 18, a.x + 30);
        else a.y = Math.min(H - 18, a.y + 30);
      }
      placed.push(a);
      const name = this.names.get(id) ?? it.label;
      const g = s("g", {
        class: "offscreen",
        "data-target": id,
        "data-name": name,
        transform: `translate(${a.x.toFixed(1)},${a.y.toFixed(1)})`,
      });
      g.append(
        s("circle", { r: 13 }),
        s("path", {
          d: "M-5,-6 L7,0 L-5,6 z",
          transform: `rotate(${((a.angle * 180) / Math.PI).toFixed(1)})`,
        }),
        s("title", {}, `${name} (off-screen): click to go there`),
      );
      this.arrows.append(g);
    }
  }

  private installPanZoom(): void {
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | null = null;
    this.svg.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      drag = { x: ev.clientX, y: ev.clientY, tx: this.tx, ty: this.ty, moved: false };
    });
    window.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) this.svg.classList.add("panning");
      drag.moved = true;
      this.tx = drag.tx + dx;
      this.ty = drag.ty + dy;
      this.apply();
    });
    window.addEventListener("pointerup", (ev) => {
      const d = drag;
      drag = null;
      this.svg.classList.remove("panning");
      if (!d || d.moved) return;
      // A click (no drag): expander toggles, item selects, background clears.
      const target = ev.target as Element | null;
      if (!target || !this.svg.contains(target)) return;
      const arrow = target.closest(".offscreen");
      if (arrow) {
        this.center(arrow.getAttribute("data-target")!);
        return;
      }
      const item = target.closest("[data-id]");
      if (!item) {
        this.cb.clearSelection();
        return;
      }
      const id = item.getAttribute("data-id")!;
      if (target.closest(".exp")) this.cb.toggle(id);
      else this.cb.select(id);
    });
    this.svg.addEventListener("dblclick", (ev) => {
      const item = (ev.target as Element).closest("[data-kind=scope]");
      if (item) this.cb.toggle(item.getAttribute("data-id")!);
    });
    this.svg.addEventListener(
      "wheel",
      (ev) => {
        ev.preventDefault();
        const r = this.svg.getBoundingClientRect();
        const px = ev.clientX - r.left;
        const py = ev.clientY - r.top;
        const f = Math.exp(-ev.deltaY * 0.0015);
        const k = Math.min(4, Math.max(0.02, this.k * f));
        this.tx = px - ((px - this.tx) * k) / this.k;
        this.ty = py - ((py - this.ty) * k) / this.k;
        this.k = k;
        this.apply();
      },
      { passive: false },
    );
  }

  draw(layout: Layout, deco: Decoration): void {
    this.layout = layout;
    const hadFocus = this.svg.contains(document.activeElement);
    this.names = deco.names;
    this.viewport.replaceChildren();
    this.els.clear();
    const boxes: Item[] = [];
    const leaves: Item[] = [];
    for (const it of layout.items.values()) (it.expanded ? boxes : leaves).push(it);
    // Parents before children so inner boxes paint on top of outer ones.
    boxes.sort((a, b) => depthOf(layout, a) - depthOf(layout, b));
    this.svg.classList.toggle("dimming", deco.highlight.size > 0);
    const frag = document.createDocumentFragment();
    for (const a of layout.auxAreas) {
      // The machinery column of a box, under its items (see aux.ts).
      const g = s("g", { class: "aux-area", "data-container": String(a.container) });
      g.append(
        s("rect", { x: a.x, y: a.y, width: a.w, height: a.h, rx: 6 }),
        s("text", { x: a.x + 4, y: a.y - 6 }, "training machinery"),
      );
      frag.append(g);
    }
    for (const b of boxes) frag.append(this.drawItem(b, deco, layout));
    const edges = s("g", { class: "edges" });
    for (const e of layout.edges) {
      if (e.points.length < 2) continue;
      const d = "M" + e.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join("L");
      const g = s("g", { class: `edge ${e.kind}`, "data-from": e.from, "data-to": e.to });
      g.append(
        s("path", {
          d,
          "marker-end": "url(#arrow)",
          "stroke-width": e.count > 1 ? Math.min(4, 1.2 + Math.log2(e.count) * 0.6) : null,
        }),
      );
      if (e.count > 1) g.append(s("title", {}, `${e.count} edges`));
      edges.append(g);
    }
    frag.append(edges);
    for (const l of leaves) frag.append(this.drawItem(l, deco, layout));
    this.viewport.append(frag);
    const all = this.extent();
    if (all) this.minimap.draw(layout, all);
    this.apply();
    this.onDraw?.(hadFocus);
  }

  /** The layout drawn last. */
  get current(): Layout | null {
    return this.layout;
  }

  /** A box just opened: zoomed out as far as readable for its width (focus.ts openedZoom), its
   *  top-left kept where it was on screen, then panned just enough to be in view. */
  showOpened(id: string): void {
    const it = this.layout?.items.get(id);
    if (!it) return;
    const { W, H } = this.size();
    const k = openedZoom(it.w, this.k, W);
    this.tx += it.x * (this.k - k);
    this.ty += it.y * (this.k - k);
    this.k = k;
    const p = panToShow(it, { w: W, h: H }, k, this.tx, this.ty);
    this.tx = p.tx;
    this.ty = p.ty;
    this.apply();
  }

  /** Pan, without zooming, just enough for an item to be in view (the keyboard's focus). */
  panIntoView(id: string): void {
    const it = this.layout?.items.get(id);
    if (!it) return;
    const r = this.svg.getBoundingClientRect();
    const p = panToShow(it, { w: r.width || 800, h: r.height || 600 }, this.k, this.tx, this.ty);
    this.tx = p.tx;
    this.ty = p.ty;
    this.apply();
  }

  /** Writes a shape label (edgelabels.ts) by each drawn edge that has one, clear of the others. */
  labelEdges(labels: Map<string, string>): void {
    if (!this.layout || labels.size === 0) return;
    const data = this.layout.edges.filter((e) => e.kind === "data"); // variable edges carry no shape
    const points = new Map(data.map((e) => [edgeKey(e.from, e.to), e.points]));
    const groups = new Map<string, Element>();
    const wanted = [];
    for (const g of this.viewport.querySelectorAll(".edges .edge.data")) {
      const key = edgeKey(g.getAttribute("data-from") ?? "", g.getAttribute("data-to") ?? "");
      const text = labels.get(key);
      const pts = points.get(key);
      if (!text || !pts || pts.length < 2) continue;
      groups.set(key, g);
      wanted.push({ key, text, at: midpoint(pts) });
    }
    for (const l of placeLabels(wanted))
      groups
        .get(l.key)
        ?.append(s("text", { class: "elbl", x: l.x, y: l.y, "text-anchor": l.anchor }, l.text));
  }

  /** Marks the drawn edges of a trace (trace.ts) lit, so dimming leaves them visible. */
  lightEdges(lit: Set<string>): void {
    for (const g of this.viewport.querySelectorAll(".edges .edge")) {
      const key = edgeKey(g.getAttribute("data-from") ?? "", g.getAttribute("data-to") ?? "");
      setOrRemove(g, "data-lit", lit.has(key) ? "true" : null);
    }
  }

  /** Re-applies colours and highlights without rebuilding the SVG. */
  redecorate(deco: Decoration): void {
    this.svg.classList.toggle("dimming", deco.highlight.size > 0);
    for (const [id, g] of this.els) applyDeco(g, id, deco);
  }

  private drawItem(it: Item, deco: Decoration, layout: Layout): SVGElement {
    const kindClass = it.expanded ? "g-box" : `g-${it.kind}`;
    const g = s("g", {
      class: `g-item ${kindClass}`,
      transform: `translate(${it.x},${it.y})`,
      "data-id": it.id,
      "data-kind": it.kind,
      "data-name": deco.names.get(it.id) ?? it.label,
      "data-expanded": it.expanded ? "true" : null,
      "data-aux": it.aux ? "true" : null,
      "data-links": it.aux ? String(it.links) : null,
      "data-depth-odd": it.expanded && depthOf(layout, it) % 2 === 1 ? "true" : null,
      tabindex: -1, // keyboard.ts puts one item at a time in the Tab order
      role: "button",
      "aria-label": deco.aria?.get(it.id) ?? deco.names.get(it.id) ?? it.label,
      "aria-expanded": it.kind === "scope" ? String(it.expanded) : null,
    });
    applyDeco(g, it.id, deco);
    this.els.set(it.id, g);
    g.append(s("title", {}, deco.names.get(it.id) ?? it.label));
    const rx = it.kind === "var" ? it.h / 2 : it.kind === "scope" || it.expanded ? 6 : 3;
    g.append(s("rect", { class: "body", width: it.w, height: it.h, rx }));
    if (it.aux && !it.expanded) {
      // Its edges to the model are cut: say how many there are.
      const t = s("text", { class: "links", x: it.w - 8, y: it.h / 2, "text-anchor": "end" });
      t.textContent = linksText(it.links);
      t.append(s("title", {}, `${linksText(it.links)} to the model, not drawn`));
      g.append(t);
    }
    if (it.expanded) {
      g.append(s("text", { class: "lbl", x: 30, y: 15 }, shorten(it.label, 60)));
      if (it.badge)
        g.append(s("text", { class: "badge", x: it.w - 8, y: 15, "text-anchor": "end" }, it.badge));
      g.append(expander(6, 6, "−"));
      return g;
    }
    if (it.kind === "scope") {
      g.append(expander(6, 11, "+"));
      g.append(s("text", { class: "lbl", x: 28, y: 14 }, shorten(it.label)));
      const sub = deco.sub.get(it.id);
      if (sub) g.append(s("text", { class: "sub", x: 28, y: 29 }, sub));
      if (it.badge) g.append(badge(it, 8, SCOPE_H + 6, "start"));
      return g;
    }
    const cx = it.aux ? (it.w - linksWidth(it.links)) / 2 : it.w / 2;
    g.append(s("text", { x: cx, y: 13, "text-anchor": "middle" }, shorten(it.label)));
    if (it.badge)
      g.append(
        s("text", { class: "badge", x: it.w / 2, y: OP_H + 5, "text-anchor": "middle" }, it.badge),
      );
    return g;
  }

  /** Layout position of an item (before a redraw), to keep it in place after. */
  posOf(id: string): { x: number; y: number } | null {
    const it = this.layout?.items.get(id);
    return it ? { x: it.x, y: it.y } : null;
  }

  /** Pan so the item is where `before` was on screen (expand/collapse keeps context). */
  keepInPlace(id: string, before: { x: number; y: number }): void {
    const it = this.layout?.items.get(id);
    if (!it) return;
    this.tx += (before.x - it.x) * this.k;
    this.ty += (before.y - it.y) * this.k;
    this.apply();
  }

  /** Fit the view to the given item ids (all items, edges and columns included, when empty). */
  fit(ids: string[] = []): void {
    const l = this.layout;
    if (!l) return;
    const b = ids.length
      ? bounds(ids.map((i) => l.items.get(i)).filter((x): x is Item => !!x))
      : this.extent();
    if (!b) return;
    const { W, H } = this.size();
    this.setView(fitView(b, W, H));
  }

  /** The first view of a graph (focus.ts startView): whole when readable, else its top. */
  start(): void {
    const b = this.extent();
    if (!b || !this.layout) return;
    const { W, H } = this.size();
    // The top row of the model (machinery stands at the side): boxes within a row of its top.
    const items = [...this.layout.items.values()].filter((it) => !it.aux);
    const top = Math.min(...items.map((it) => it.y));
    this.setView(startView(b, W, H, 40, bounds(items.filter((it) => it.y < top + OP_H))));
  }

  /**
   * Show an item and the others (its call sites) at a readable zoom: all of them
   * when they fit, else the item centred; border arrows point to the rest.
   */
  focus(id: string, others: string[]): void {
    const l = this.layout;
    const it = l?.items.get(id);
    if (!l || !it) return;
    const rest = others.map((o) => l.items.get(o)).filter((x): x is Item => !!x);
    const { W, H } = this.size();
    this.setView(focusView(it, rest, W, H));
  }

  /** Centre an item, zooming in if needed so that its label is readable. */
  center(id: string): void {
    const it = this.layout?.items.get(id);
    if (!it) return;
    const { W, H } = this.size();
    this.setView(centreView(it, Math.max(this.k, READABLE_K), W, H));
  }
}

function setOrRemove(el: Element, name: string, value: string | null | undefined): void {
  if (value === null || value === undefined) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

function applyDeco(g: SVGElement, id: string, deco: Decoration): void {
  setOrRemove(g, "data-status", deco.status.get(id));
  setOrRemove(g, "data-highlight", deco.highlight.get(id));
  setOrRemove(g, "data-selected", deco.selected === id ? "true" : null);
  const tint = deco.tint.get(id);
  setOrRemove(g, "data-tint", tint ? "true" : null);
  if (tint) g.style.setProperty("--tint", tint);
  else g.style.removeProperty("--tint");
}

/** "reuses X from S" badge; the tooltip and data-reuses list every reused variable. */
function badge(it: Item, x: number, y: number, anchor: string): SVGElement {
  const t = s("text", {
    class: "badge",
    x,
    y,
    "text-anchor": anchor,
    "data-reuses": it.reuses.join("\n"),
  });
  t.textContent = it.badge;
  t.append(s("title", {}, it.reuses.join("\n")));
  return t;
}

function expander(x: number, y: number, sign: string): SVGElement {
  const g = s("g", { class: "exp", transform: `translate(${x},${y})` });
  g.append(s("rect", { width: 16, height: 16, rx: 3 }), s("text", { x: 8, y: 9 }, sign));
  return g;
}

function depthOf(l: Layout, it: Item): number {
  let d = 0;
  let c = it.container;
  // Container chain length; small (scope depth).
  for (let x = l.items.get(`s:${c}`); x; x = l.items.get(`s:${x.container}`)) {
    d++;
    if (x.container === c) break;
    c = x.container;
  }
  return d;
}
