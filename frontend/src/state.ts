// Pure view state and its URL-hash encoding. TensorBoard keeps a plugin's
// state in the hash of the PARENT page, as `#<plugin>&p.<plugin>.<key>=<value>`;
// we follow that convention so links to a selection can be shared.

export type ColorMode = "status" | "owner" | "none";

/**
 * Where training machinery is drawn: in a column at the side of each box (the
 * default), in the graph like the model (`p.scopes.machinery=1`), or not at all
 * (`p.scopes.machinery=0`).
 */
export type MachineryMode = "side" | "graph" | "hidden";

export type Selection =
  | { kind: "node"; name: string }
  | { kind: "scope"; name: string }
  | { kind: "variable"; name: string }
  | null;

export interface ViewState {
  run: string | null;
  tag: string | null;
  source: string | null;
  selection: Selection;
  expanded: Set<string>;
  color: ColorMode;
  showVarEdges: boolean;
  /** Where training machinery (optimizer, gradients, metrics, checkpointing) is drawn. */
  machinery: MachineryMode;
  search: string;
  /** Index of the focused finding, or null. */
  finding: number | null;
  /** Highlight every op upstream of the selected op (trace.ts). */
  trace: boolean;
}

export const PLUGIN = "scopes";
const P = `p.${PLUGIN}.`;

export function initialState(): ViewState {
  return {
    run: null,
    tag: null,
    source: null,
    selection: null,
    expanded: new Set(),
    color: "status",
    showVarEdges: false,
    machinery: "side",
    search: "",
    finding: null,
    trace: false,
  };
}

// Items of the comma-joined `expanded` list: only paths holding "," or "%"
// are escaped, so ordinary paths stay readable in the URL.
const escapeItem = (p: string) => (/[,%]/.test(p) ? encodeURIComponent(p) : p);
const unescapeItem = (p: string) => {
  try {
    return p.includes("%") ? decodeURIComponent(p) : p;
  } catch {
    return p;
  }
};

function splitHash(hash: string): string[] {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  return h === "" ? [] : h.split("&");
}

/** Reads our keys from a hash such as `#scopes&p.scopes.run=gan&...`. */
export function stateFromHash(hash: string): ViewState {
  const st = initialState();
  for (const part of splitHash(hash)) {
    const eq = part.indexOf("=");
    if (eq < 0 || !part.startsWith(P)) continue;
    const key = part.slice(P.length, eq);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
    } catch {
      continue; // a malformed escape in a hand-edited URL: ignore that key
    }
    switch (key) {
      case "run":
        st.run = value;
        break;
      case "tag":
        st.tag = value;
        break;
      case "source":
        st.source = value;
        break;
      case "node":
        st.selection = { kind: "node", name: value };
        break;
      case "scope":
        st.selection = { kind: "scope", name: value };
        break;
      case "variable":
        st.selection = { kind: "variable", name: value };
        break;
      case "expanded":
        // Scope paths may contain any character but "," is escaped on write.
        st.expanded = new Set(
          value
            .split(",")
            .filter((s) => s !== "")
            .map(unescapeItem),
        );
        break;
      case "color":
        if (value === "status" || value === "owner" || value === "none") st.color = value;
        break;
      case "varedges":
        st.showVarEdges = value === "1";
        break;
      case "machinery":
        // "1" kept its first meaning: machinery drawn in the graph with the model.
        if (value === "1") st.machinery = "graph";
        else if (value === "0") st.machinery = "hidden";
        break;
      case "trace":
        st.trace = value === "1";
        break;
    }
  }
  return st;
}

/**
 * Writes our keys into `hash`, keeping the plugin id and every key that is not
 * ours (TensorBoard's own). Default values are left out to keep URLs short.
 */
export function hashFromState(st: ViewState, hash = `#${PLUGIN}`): string {
  const parts = splitHash(hash).filter((p) => !p.startsWith(P));
  if (parts.length === 0 || parts[0].includes("=")) parts.unshift(PLUGIN);
  const put = (k: string, v: string) => parts.push(`${P}${k}=${encodeURIComponent(v)}`);
  if (st.run !== null) put("run", st.run);
  if (st.tag !== null) put("tag", st.tag);
  if (st.source !== null) put("source", st.source);
  // Variables are written as `node` (the contract draws each variable as a
  // node of the same name); a scope gets its own key since an op and a scope
  // may share a name.
  if (st.selection) put(st.selection.kind === "scope" ? "scope" : "node", st.selection.name);
  if (st.expanded.size) put("expanded", [...st.expanded].sort().map(escapeItem).join(","));
  if (st.color !== "status") put("color", st.color);
  if (st.showVarEdges) put("varedges", "1");
  if (st.machinery !== "side") put("machinery", st.machinery === "graph" ? "1" : "0");
  if (st.trace) put("trace", "1");
  return "#" + parts.join("&");
}

/**
 * The window whose hash holds the state: the parent TensorBoard page when we
 * run in its (same-origin) iframe, else our own window.
 */
export function hashWindow(): Window {
  try {
    if (window.parent && window.parent !== window) {
      void window.parent.location.hash; // throws when cross-origin
      return window.parent;
    }
  } catch {
    /* cross-origin parent: fall back to our own window */
  }
  return window;
}

export function readHash(): ViewState {
  return stateFromHash(hashWindow().location.hash);
}

export function writeHash(st: ViewState): void {
  const w = hashWindow();
  // Our iframe may outlive a switch to another dashboard: never touch its hash.
  const first = splitHash(w.location.hash)[0];
  if (first !== undefined && first !== PLUGIN && !first.includes("=")) return;
  const next = hashFromState(st, w.location.hash);
  if (next !== w.location.hash) {
    try {
      w.history.replaceState(w.history.state, "", next);
    } catch {
      /* history not writable (sandboxed): the state just is not shared */
    }
  }
}
