// Our side of TensorBoard's host <-> plugin-iframe message protocol, to hear about reloads.
//
// What TensorBoard 2.21 does (read in its served bundle, site-packages/tensorboard/webfiles.zip
// index.js, around the strings "experimental.bootstrap" and "experimental.DataReloaded"; the
// source is tensorboard/webapp/plugins/plugin_api_host and tensorboard/components/
// experimental/plugin_util):
// - the host page listens for a window message whose data is the string
//   "experimental.bootstrap" and that carries a MessagePort; it only accepts it from a window
//   that is one of its iframes (it reads the sender's frameElement, so same origin);
// - over that port each message is a JSON string {type, id, payload, error, isReply};
//   a message that is not a reply expects a reply with the same type and id;
// - the host broadcasts "experimental.DataReloaded" every time its core data was reloaded
//   (its reload button, and auto-reload, which dispatch the same reload action), and
//   "experimental.RunsChanged" with the run names whenever its list of runs changes.
// So one signal covers both the reload button and auto-reload; no polling is needed.

/** Message types the host sends that mean "the logdir may have changed". */
export const RELOAD_MESSAGES = ["experimental.DataReloaded", "experimental.RunsChanged"];

export interface HostMessage {
  type: string;
  id: number;
  payload: unknown;
  error: string | null;
  isReply: boolean;
}

/** Parses one message from the port; null for anything that is not the protocol's shape. */
export function parseHostMessage(data: unknown): HostMessage | null {
  if (typeof data !== "string") return null;
  let m: unknown;
  try {
    m = JSON.parse(data);
  } catch {
    return null;
  }
  if (!m || typeof m !== "object") return null;
  const o = m as Record<string, unknown>;
  if (typeof o.type !== "string" || typeof o.id !== "number") return null;
  return {
    type: o.type,
    id: o.id,
    payload: o.payload ?? null,
    error: typeof o.error === "string" ? o.error : null,
    isReply: o.isReply === true,
  };
}

/** The reply the host waits for: same type and id, no payload. */
export function replyTo(m: HostMessage): string {
  return JSON.stringify({ type: m.type, id: m.id, payload: null, error: null, isReply: true });
}

/**
 * Connects to the TensorBoard page we run in and calls `onReload` on each reload signal.
 * Returns false when there is no host (the page opened on its own, or another origin).
 */
export function listenForReloads(onReload: () => void): boolean {
  if (window.parent === window) return false;
  const channel = new MessageChannel();
  channel.port1.addEventListener("message", (ev: MessageEvent) => {
    const m = parseHostMessage(ev.data);
    if (!m || m.isReply) return;
    channel.port1.postMessage(replyTo(m));
    if (RELOAD_MESSAGES.includes(m.type)) onReload();
  });
  channel.port1.start();
  try {
    window.parent.postMessage("experimental.bootstrap", window.location.origin, [channel.port2]);
  } catch {
    return false;
  }
  return true;
}
