// An unobtrusive line over the graph that says something changed on the server, with an
// optional action ("A newer version of this graph is available — Load"). One at a time.

import { h } from "../dom";

export function showBanner(
  parent: HTMLElement,
  text: string,
  action?: { label: string; run: () => void },
): void {
  hideBanner(parent);
  const bar = h("div", { class: "banner", role: "status" }, text);
  if (action) {
    const b = h("button", { type: "button", class: "banner-action" }, action.label);
    b.addEventListener("click", () => {
      hideBanner(parent);
      action.run();
    });
    bar.append(" — ", b);
  }
  parent.append(bar);
}

export function hideBanner(parent: HTMLElement): void {
  for (const el of parent.querySelectorAll(":scope > .banner")) el.remove();
}
