// Series: runs of alike siblings folded into one box, as the Graphs dashboard folds
// `add_1` … `add_9` into one series node. A model of 1,000 repeated blocks then opens
// on a handful of boxes instead of 1,000. The rule is shared with the server's scope
// tree (tb_scopes_plugin/tree.py) and both are checked on tests/fixtures/series.json.
//
// Siblings are alike when their names differ in one number only and their structure
// matches (the caller's key: ops below, sub-scopes, kinds of direct ops). `block0` …
// `block999` vary their only number; `block0_1` … `block999_1` (the reuse calls of an
// AUTO_REUSE scope) vary their first; `dense`, `dense_1`, `dense_2` (Keras and TF name
// uniquifying) count the bare name as member 0. A run folds when it has at least
// SERIES_MIN members and makes at least SERIES_SHARE of its box: a box crowded by
// repetition folds, while a chain of 177 distinct layers that happens to hold four
// `conv2_block1_…` … `conv5_block1_…` stays as it is. Pure, unit tested under node.

export const SERIES_MIN = 3;
/** A run of leaf ops (`zeros_like` … `zeros_like_300` in a `gradients` scope) folds from five
 *  members, as the Graphs dashboard folds numbered op nodes (its hierarchy params'
 *  `seriesNodeMinSize: 5`, tensorboard/plugins/graph/tf_graph_loader): three calls of one shared
 *  layer in a TF2 scope (`MatMul`, `MatMul_1`, `MatMul_2`) stay drawn one by one. */
export const OP_SERIES_MIN = 5;
export const SERIES_SHARE = 0.1;
/** Longest list of numbers and ranges a series name shows. */
export const SPAN_MAX = 16;

// Stands for the varying number in a template; no graph name holds it.
const MARK = "\u0000";

export interface SeriesGroup {
  /** Positions (in the input) of the members, bare name first, then by number. */
  members: number[];
  /** The box label: `block[0-999]`, `block[0-999]_1`, `dense, dense_[1-2]`, `Linear[0-3]`. */
  name: string;
}

interface Candidate {
  template: string;
  number: number;
  bare: boolean;
}

function candidates(name: string): Candidate[] {
  const out: Candidate[] = [];
  for (const run of name.matchAll(/\d+/g)) {
    const at = run.index;
    out.push({
      template: name.slice(0, at) + MARK + name.slice(at + run[0].length),
      number: Number(run[0]),
      bare: false,
    });
  }
  if (!/\d$/.test(name)) out.push({ template: `${name}_${MARK}`, number: 0, bare: true });
  return out;
}

/** The series among siblings `names` whose structures are `keys`, in order of first member. */
export function findSeries(
  names: readonly string[],
  keys: readonly string[],
  min: number = SERIES_MIN,
): SeriesGroup[] {
  const cands = names.map(candidates);
  const count = new Map<string, number>();
  const keyOf = (i: number, c: Candidate) => `${c.template}${MARK}${keys[i]}`;
  cands.forEach((cs, i) => {
    for (const c of cs) count.set(keyOf(i, c), (count.get(keyOf(i, c)) ?? 0) + 1);
  });
  // Each name joins its largest run; on a tie the later number (the rightmost) wins.
  const groups = new Map<string, Array<{ i: number; c: Candidate }>>();
  cands.forEach((cs, i) => {
    let best: Candidate | null = null;
    for (const c of cs)
      if (!best || count.get(keyOf(i, c))! >= count.get(keyOf(i, best))!) best = c;
    if (!best) return;
    const k = keyOf(i, best);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push({ i, c: best });
  });
  const out: Array<SeriesGroup & { first: number }> = [];
  for (const members of groups.values()) {
    if (members.length < min || members.length < SERIES_SHARE * names.length) continue;
    if (members.every((x) => x.c.bare)) continue;
    members.sort((a, b) => +b.c.bare - +a.c.bare || a.c.number - b.c.number || a.i - b.i);
    out.push({
      members: members.map((x) => x.i),
      name: seriesName(members.map((x) => x.c)),
      first: Math.min(...members.map((x) => x.i)),
    });
  }
  return out.sort((a, b) => a.first - b.first).map(({ members, name }) => ({ members, name }));
}

function seriesName(members: Candidate[]): string {
  const numbers = [...new Set(members.filter((c) => !c.bare).map((c) => c.number))];
  const range = span(numbers.sort((a, b) => a - b));
  const [before, after] = members[0].template.split(MARK);
  // A number already in brackets (PyTorch's `Linear[0]`) keeps them: `Linear[0-3]`.
  const name =
    before.endsWith("[") && after.startsWith("]")
      ? `${before}${range}${after}`
      : `${before}[${range}]${after}`;
  return members[0].bare ? `${before.slice(0, -1)}, ${name}` : name;
}

/** `0-999`; gaps shown while short (`0-2,5`), else only the ends. */
function span(numbers: number[]): string {
  const runs: string[] = [];
  let start = 0;
  for (let k = 1; k <= numbers.length; k++) {
    if (k < numbers.length && numbers[k] === numbers[k - 1] + 1) continue;
    const lo = numbers[start];
    const hi = numbers[k - 1];
    runs.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
    start = k;
  }
  const text = runs.join(",");
  return text.length <= SPAN_MAX ? text : `${numbers[0]}-${numbers[numbers.length - 1]}`;
}

/** What the tree folding needs of a scope (model.ts's Scope). */
export interface TreeScope {
  index: number;
  path: string;
  name: string;
  parent: number;
  depth: number;
  children: number[];
  ops: number[];
  totalOps: number;
  /** For a series: how many members it folds; null for a scope of the graph. */
  series: { members: number } | null;
}

/** How leaf ops fold (model.ts): an op's last name part, and its structure (null: it never folds). */
export interface OpFolding {
  name: (node: number) => string;
  key: (node: number) => string | null;
}

/**
 * The scope tree with every series folded into a scope of its own between the box and
 * its members, renumbered in pre-order (a parent's index is below its children's, as
 * the bottom-up passes over scopes expect). `key(s)` is scope s's structure. The scope
 * objects are reused, renumbered in place (a 150k-op graph has some 80k of them: copies
 * would double the garbage); `makeSeries` makes a series' own. Returns the new order and,
 * per old index, the new one. A series' path is its box's path and its name
 * (`layers/block[0-999]`); its members keep their own paths.
 *
 * With `ops`, runs of alike leaf ops directly in a scope fold too (OP_SERIES_MIN): their
 * series holds them as its ops, and `moved` lists each such op with its series' index.
 */
export function foldScopes<S extends TreeScope>(
  scopes: readonly S[],
  key: (s: number) => string,
  makeSeries: (fields: TreeScope) => S,
  hasPath: (path: string) => boolean,
  ops?: OpFolding,
): { scopes: S[]; renumbered: Int32Array; moved: Array<[number, number]> } {
  const out: S[] = [];
  const renumbered = new Int32Array(scopes.length).fill(-1);
  const moved: Array<[number, number]> = [];
  const made = new Set<string>(); // series paths made so far: two series of one box never share one
  const stack: Entry[] = [{ old: 0, parent: -1 }];
  while (stack.length) {
    const e = stack.pop()!;
    const parent = e.parent < 0 ? null : out[e.parent];
    const index = out.length;
    let kids: Entry[];
    if ("old" in e) {
      const sc = scopes[e.old];
      kids = childEntries(scopes, sc, key, index); // reads the old children: before the reset
      if (ops) kids.push(...opEntries(sc, ops, index));
      sc.index = index;
      sc.parent = e.parent;
      sc.depth = parent ? parent.depth + 1 : 0;
      sc.children = [];
      out.push(sc);
      renumbered[e.old] = index;
    } else {
      let path = parent!.path ? `${parent!.path}/${e.name}` : e.name;
      while (hasPath(path) || made.has(path)) path += " (series)";
      made.add(path);
      const leaves = "ops" in e;
      const totalOps = leaves ? e.ops.length : e.group.reduce((k, c) => k + scopes[c].totalOps, 0);
      out.push(
        makeSeries({
          index,
          path,
          name: e.name,
          parent: e.parent,
          depth: parent!.depth + 1,
          children: [],
          ops: leaves ? e.ops : [],
          totalOps,
          series: { members: leaves ? e.ops.length : e.group.length },
        }),
      );
      if (leaves) for (const n of e.ops) moved.push([n, index]);
      kids = leaves ? [] : e.group.map((old) => ({ old, parent: index }));
    }
    parent?.children.push(index);
    for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k]);
  }
  return { scopes: out, renumbered, moved };
}

type Entry =
  | { old: number; parent: number }
  | { group: number[]; name: string; parent: number }
  | { ops: number[]; name: string; parent: number };

/** A scope's children in order, each run of alike drawn sub-scopes standing as one series entry. */
function childEntries<S extends TreeScope>(
  scopes: readonly S[],
  sc: S,
  key: (s: number) => string,
  parent: number,
): Entry[] {
  const drawn = sc.children.filter((c) => scopes[c].totalOps > 0);
  const groups =
    drawn.length >= SERIES_MIN
      ? findSeries(
          drawn.map((c) => scopes[c].name),
          drawn.map(key),
        )
      : [];
  const groupOf = new Map<number, SeriesGroup>();
  for (const g of groups) for (const i of g.members) groupOf.set(drawn[i], g);
  const out: Entry[] = [];
  const done = new Set<SeriesGroup>();
  for (const c of sc.children) {
    const g = groupOf.get(c);
    if (!g) out.push({ old: c, parent });
    else if (!done.has(g)) {
      done.add(g);
      out.push({ group: g.members.map((i) => drawn[i]), name: g.name, parent });
    }
  }
  return out;
}

/**
 * The runs of alike leaf ops directly in `sc`, each one series entry; `sc.ops` keeps the rest.
 * An op named by a number alone never folds: PyTorch's tracer numbers its nodes
 * (`PairScorer/61`), and a series of them would be labelled `[61-81]` where each box says its
 * op type (tb_scopes_plugin/tree.py keeps the same rule).
 */
function opEntries(sc: TreeScope, ops: OpFolding, parent: number): Entry[] {
  const foldable: number[] = [];
  const names: string[] = [];
  const keys: string[] = [];
  for (const n of sc.ops) {
    const key = ops.key(n);
    const name = key === null ? "" : ops.name(n);
    if (key === null || /^\d+$/.test(name)) continue;
    foldable.push(n);
    names.push(name);
    keys.push(key);
  }
  if (foldable.length < OP_SERIES_MIN) return [];
  const groups = findSeries(names, keys, OP_SERIES_MIN);
  if (!groups.length) return [];
  const folded = new Set<number>();
  const out: Entry[] = groups.map((g) => {
    const members = g.members.map((i) => foldable[i]);
    for (const n of members) folded.add(n);
    return { ops: members, name: g.name, parent };
  });
  sc.ops = sc.ops.filter((n) => !folded.has(n));
  return out;
}
