// Export: the drawn graph as a standalone SVG (every colour and font the tab's
// stylesheet gives it copied inline, so it renders the same outside the tab), the
// same drawing rasterised to PNG on a canvas, and the variables as CSV. Files are
// handed to the browser through an <a download> on a Blob URL.

import type { Model } from "./model";
import { SVG_NS } from "./dom";
import { rowsCsv, sortRows, variableRows } from "./vartable";

// What the stylesheet decides for the drawing: copied from the computed style of each
// element (CSS variables and color-mix resolve to plain colours there).
const PROPS = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "stroke-opacity",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "dominant-baseline",
  "text-anchor",
  "visibility",
];

const MARGIN = 20;
/** Largest PNG side and area: browsers refuse bigger canvases (Chromium: 32767 px a side). */
const MAX_SIDE = 16384;
const MAX_AREA = 64e6;

/** A file name from the run and tag, safe on every system ("gan-__run_graph__"). */
export function fileBase(run: string, tag: string): string {
  return `${run}-${tag}`.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120) || "graph";
}

/** Pixels per SVG unit for the PNG: 2 (sharp on high-density screens) unless too big. */
export function pngScale(w: number, h: number): number {
  const byArea = Math.sqrt(MAX_AREA / Math.max(1, w * h));
  return Math.max(0.05, Math.min(2, MAX_SIDE / Math.max(1, w), MAX_SIDE / Math.max(1, h), byArea));
}

/** The drawing as standalone SVG text, the whole graph as drawn now (not only what is in view). */
export function svgText(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const viewport = svg.querySelector("g.viewport") as SVGGElement | null;
  const box = viewport?.getBBox() ?? { x: 0, y: 0, width: 0, height: 0 };
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  from.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const out = to[i] as SVGElement;
    const style = PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(";");
    out.setAttribute("style", style);
    if (cs.display === "none") out.setAttribute("display", "none");
  });
  const width = Math.ceil(box.width + 2 * MARGIN);
  const height = Math.ceil(box.height + 2 * MARGIN);
  copy.setAttribute("xmlns", SVG_NS);
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  copy.setAttribute("viewBox", `${box.x - MARGIN} ${box.y - MARGIN} ${width} ${height}`);
  copy.removeAttribute("class");
  copy.querySelector("g.viewport")?.removeAttribute("transform"); // pan and zoom are the tab's
  // The tab's background, so the drawing reads the same in dark mode.
  const root = svg.closest("#scopes-root") ?? document.body;
  const bg = document.createElementNS(SVG_NS, "rect");
  bg.setAttribute("x", String(box.x - MARGIN));
  bg.setAttribute("y", String(box.y - MARGIN));
  bg.setAttribute("width", String(width));
  bg.setAttribute("height", String(height));
  bg.setAttribute("fill", getComputedStyle(root).backgroundColor);
  copy.insertBefore(bg, copy.firstChild);
  const text =
    '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  return { text, width, height };
}

/** The SVG drawn on a canvas, as a PNG blob. */
export async function pngBlob(svg: SVGSVGElement): Promise<Blob> {
  const { text, width, height } = svgText(svg);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.decoding = "async";
    const loaded = new Promise<void>((ok, fail) => {
      img.onload = () => ok();
      img.onerror = () => fail(new Error("the drawing could not be rasterised"));
    });
    img.src = url;
    await loaded;
    const k = pngScale(width, height);
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * k));
    canvas.height = Math.max(1, Math.round(height * k));
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((ok, fail) =>
      canvas.toBlob(
        (b) => (b ? ok(b) : fail(new Error("the PNG could not be encoded"))),
        "image/png",
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Every variable (whatever the table's filter), in the table's columns, by name. */
export function variablesCsv(m: Model): string {
  return rowsCsv(sortRows(variableRows(m.variables, m.findings), "name", "asc"));
}

/** Hands a blob to the browser as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; keep it a little for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export type ExportKind = "svg" | "png" | "csv";

export async function exportAs(kind: ExportKind, svg: SVGSVGElement, m: Model): Promise<void> {
  const base = fileBase(m.info.run, m.info.tag);
  if (kind === "svg")
    download(`${base}.svg`, new Blob([svgText(svg).text], { type: "image/svg+xml" }));
  else if (kind === "png") download(`${base}.png`, await pngBlob(svg));
  else download(`${base}-variables.csv`, new Blob([variablesCsv(m)], { type: "text/csv" }));
}
