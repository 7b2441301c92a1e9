// The reuse badge of a drawn item: "reuses dense/weights from dense", or how many variables it
// reuses and the scope that holds their owners, and its tooltip's lines. Pure.

import type { Model } from "./model";

/** Badge text for an item that reuses `vars`, or null when it reuses nothing. */
export function reuseBadge(m: Model, vars: number[]): string | null {
  if (vars.length === 0) return null;
  if (vars.length === 1) {
    const v = m.variables[vars[0]];
    return `reuses ${v.name} from ${v.owner_scope || "(root)"}`;
  }
  // Always say where from: the one owner, else the scope that holds every owner
  // ("discriminator" for discriminator/hidden and discriminator/out), else how many.
  // A series counts as a scope here: 2,000 variables of `block0` … `block999` come
  // "from block[0-999]".
  const owners = [...new Set(vars.map((v) => m.varScope[v]))];
  const common = owners.reduce((a, b) => commonAncestor(m, a, b));
  let from =
    owners.length === 1 || common !== 0
      ? m.scopes[common].path || "(root)"
      : `${owners.length} scopes`;
  // In a cut graph an owner inside a stub resolves to the stub: say what the whole graph says,
  // the scope that holds every owner by its path.
  const path = (v: number) => m.variables[v].owner_scope || "";
  if (vars.some((v) => path(v) !== m.scopes[m.varScope[v]].path))
    from = commonPath([...new Set(vars.map(path))]);
  return `reuses ${vars.length.toLocaleString("en-US")} variables from ${from}`;
}

/** The scope path that holds every path in `paths` ("(root)", or "N scopes" when only the root does). */
function commonPath(paths: string[]): string {
  if (paths.length === 1) return paths[0] || "(root)";
  let parts = paths[0].split("/");
  for (const p of paths.slice(1)) {
    const q = p.split("/");
    let k = 0;
    while (k < parts.length && k < q.length && parts[k] === q[k]) k++;
    parts = parts.slice(0, k);
  }
  return parts.join("/") || `${paths.length} scopes`;
}

/** The deepest scope holding scopes a and b (series included). */
function commonAncestor(m: Model, a: number, b: number): number {
  const { scopes } = m;
  while (scopes[a].depth > scopes[b].depth) a = scopes[a].parent;
  while (scopes[b].depth > scopes[a].depth) b = scopes[b].parent;
  while (a !== b) ((a = scopes[a].parent), (b = scopes[b].parent));
  return a;
}

/** One line per reused variable, for the badge's tooltip and data attribute. */
export function reuseLines(m: Model, vars: number[]): string[] {
  return vars.map((i) => {
    const v = m.variables[i];
    return `reuses ${v.name} from ${v.owner_scope || "(root)"}`;
  });
}
