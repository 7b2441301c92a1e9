// An unobtrusive line over the graph that says something changed on the server, with an
// optional action ("A newer version of this graph is available — Load"). One at a time.

import { h } from "../dom";
import type { OpenGraphChange } from "../reload";
import type { GraphChoice } from "./picker";

/** Says what happened to the open graph on the server; a newer one is offered, never swapped in. */
export function showChange(
  parent: HTMLElement,
  change: OpenGraphChange,
  load: (c: GraphChoice) => void,
): void {
  if (change.kind === "newer") {
    const next = change.choice;
    showBanner(parent, "A newer version of this graph is available", {
      label: "Load",
      run: () => load(next),
    });
  } else if (change.kind === "gone")
    showBanner(parent, "This graph is no longer in the logdir; what is drawn is its last version.");
  else hideBanner(parent); // listed again as drawn
}

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
