// Follows TensorBoard's own theme, live: TensorBoard 2.21 puts a `dark-mode` class on
// its page's <body> when its theme menu (or "browser default" on a dark system) says
// dark. The tab runs in a same-origin iframe, so it watches that class and mirrors it
// on its own <html> as `data-theme`. Outside TensorBoard (the page opened alone) it
// falls back to the system's colour scheme.

export type Theme = "light" | "dark";

/** The theme a document's <body> class list says TensorBoard is in. */
export function themeOf(classes: { contains(token: string): boolean }): Theme {
  return classes.contains("dark-mode") ? "dark" : "light";
}

function tensorBoardBody(): HTMLElement | null {
  try {
    if (window.parent !== window) return window.parent.document.body;
  } catch {
    /* another origin: no TensorBoard page to follow */
  }
  return null;
}

export function followTheme(): void {
  const apply = (theme: Theme) => document.documentElement.setAttribute("data-theme", theme);
  const body = tensorBoardBody();
  if (body) {
    apply(themeOf(body.classList));
    new MutationObserver(() => apply(themeOf(body.classList))).observe(body, {
      attributes: true,
      attributeFilter: ["class"],
    });
    return;
  }
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  apply(query.matches ? "dark" : "light");
  query.addEventListener("change", (e) => apply(e.matches ? "dark" : "light"));
}
