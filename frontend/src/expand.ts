// "Collapse all" and "Expand to level N" as sets of expanded scope paths. Pure.
//
// Only scopes that would be drawn are expanded: a box over visible.ts's cap draws
// its first `cap` children (sub-scopes with ops, then ops) and folds the rest into
// "+N more", so expanding what sits behind the fold would only lengthen the URL.

import { boxCap } from "./visible";
import type { Model } from "./model";

/**
 * Paths to expand so that every drawn scope down to `level` (1 = the top-level
 * scopes) is open as a box, and the scopes one level deeper are drawn collapsed.
 */
export function expansionToLevel(m: Model, level: number, cap?: number): Set<string> {
  const out = new Set<string>();
  const stack = [0];
  while (stack.length) {
    const s = stack.pop()!;
    // The children visible.ts draws, in its order, up to the cap.
    const subs = m.scopes[s].children
      .filter((c) => m.scopes[c].totalOps > 0)
      .slice(0, boxCap(m, s, { cap }));
    for (const c of subs) {
      const sc = m.scopes[c];
      if (sc.depth > level || sc.children.length + sc.ops.length === 0) continue;
      out.add(sc.path);
      stack.push(c);
    }
  }
  return out;
}

/** The deepest level the graph has (the "Expand to level" choices stop there); a cut graph's
 *  stubs say how deep their unsent scopes go. */
export function maxLevel(m: Model): number {
  let d = 0;
  for (const sc of m.scopes) if (sc.totalOps > 0) d = Math.max(d, sc.depth + sc.levelsBelow);
  return d;
}
