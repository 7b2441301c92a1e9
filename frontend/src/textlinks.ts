// Finds the known variable names inside a finding's message or evidence line, so
// the panel can turn them into links. Pure: returns pieces of text, the DOM side
// makes text nodes and links of them (names stay text, never HTML).

export interface Piece {
  text: string;
  /** Set when `text` is exactly a known variable name. */
  name?: string;
}

// Punctuation that may stick to a name in a sentence ("a/b, c/d: same shape", "(x)").
const LEAD = /^[("'[]+/;
const TRAIL = /[)"'\],;:.]+$/;

/**
 * Splits `text` into plain pieces and pieces that are a known name. A name is
 * matched as a whole word (between spaces, after stripping surrounding punctuation),
 * so "dense/weights" never lights up inside "dense/weights_1". Linear in the text.
 */
export function splitNames(text: string, names: ReadonlySet<string>): Piece[] {
  const out: Piece[] = [];
  let plain = "";
  const flush = () => {
    if (plain) out.push({ text: plain });
    plain = "";
  };
  for (const word of text.split(/(\s+)/)) {
    if (!word || /^\s+$/.test(word) || names.size === 0) {
      plain += word;
      continue;
    }
    // Try the word as it is first: a name may itself end in punctuation ("embed.weight.").
    if (names.has(word)) {
      flush();
      out.push({ text: word, name: word });
      continue;
    }
    const lead = LEAD.exec(word)?.[0] ?? "";
    const rest = word.slice(lead.length);
    const trail = TRAIL.exec(rest)?.[0] ?? "";
    // The shortest core first; then give back trailing punctuation a character at a
    // time, for a name that itself ends in some ("w." when "w." is the name).
    let k = 0;
    while (k <= trail.length && !names.has(rest.slice(0, rest.length - trail.length + k))) k++;
    if (k > trail.length) {
      plain += word;
      continue;
    }
    const core = rest.slice(0, rest.length - trail.length + k);
    plain += lead;
    flush();
    out.push({ text: core, name: core });
    plain = trail.slice(k);
  }
  flush();
  return out;
}

/**
 * The scopes a finding may name in its text: its variables' owner scopes and their
 * ancestors ("tower" and "tower_1" for tower/embed/weights and tower_1/embed/weights).
 * Only these are linked, so a common word that happens to be a scope elsewhere stays text.
 */
export function findingScopes(
  variables: string[],
  ownerOf: (name: string) => string | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const v of variables) {
    for (let p = ownerOf(v) ?? ""; p; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "")
      out.add(p);
  }
  return out;
}
