// Entry point: TensorBoard imports this module inside the plugin's iframe
// (data/plugin_entry.html, base href plugin/scopes/) and calls render().

import { App } from "./app";
import { injectStyle } from "./style";
import { followTheme } from "./theme";

export async function render(): Promise<void> {
  injectStyle();
  followTheme();
  document.body.replaceChildren();
  const app = new App(document.body);
  await app.start();
}
