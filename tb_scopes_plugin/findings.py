"""Possible missed sharing: distinct variables (or Keras layers) that look like copies of one another.

In: the analysed variables and the forward data-flow graph. Out: `Finding`s.

Candidates have the same shape and dtype, names equal up to the `_N` uniquifier that
TensorFlow adds when a scope is entered again without reuse, and alike consumers.
Confidence comes from where their outputs go, found by bounded forward searches:
- `high`: neither copy feeds the other and their outputs meet again (two towers);
- `low`: one feeds the next (a deep stack of alike layers), or they never meet.
"""

import re
from dataclasses import dataclass, field

# Forward-search budget per candidate group, so that a 160k-op graph stays fast.
SEARCH_BUDGET = 400_000
MAX_GROUP = 64  # larger groups are cut to their first 64 members (said in the evidence)

_UNIQUIFIER = re.compile(r"_\d+$")


@dataclass
class Finding:
    confidence: str  # high / low
    variables: list  # names, sorted
    message: str
    evidence: list = field(default_factory=list)
    kind: str = "possible_missed_sharing"
    alike: str = ""  # why the copies look alike, in one phrase
    relation: str = ""  # how their outputs relate: parallel and meeting, chained, or apart


def normalised(name):
    """`tower_1/dense_2/kernel` -> `tower/dense/kernel`."""
    return "/".join(_UNIQUIFIER.sub("", part) for part in name.split("/"))


def find_missed_sharing_ops(model, variables, training):
    """Findings for an op graph: `variables` are analysis.Variable, sorted by name."""
    successors = [[] for _ in model.ops]
    for c, op in enumerate(model.ops):
        if c in training:
            continue
        for p, _ in op.inputs:
            successors[p].append(c)
    candidates = []
    for n, var in enumerate(variables):
        if var.shape is None or var.status == "unused":
            continue
        starts = sorted({model.index[o] for use in var.uses.values() for o in use.ops} - training)
        kinds = tuple(sorted({model.ops[s].type for s in starts}))
        if starts:
            candidates.append((n, (normalised(var.name), tuple(var.shape), var.dtype, kinds), starts))
    words = {}
    for _, key, _ in candidates:
        words[key] = [
            f"same shape {list(key[1])} and dtype {key[2]}",
            "names equal up to a _N suffix",
            f"read by the same kinds of ops: {', '.join(key[3])}",
        ]
    names = [v.name for v in variables]
    return _group_findings(candidates, successors, names, words, [op.name for op in model.ops])


def find_missed_sharing_layers(layers, successors, names, node_names):
    """Keras findings: `layers` are (variable index, config key, [layer index]) of layers called once."""
    words = {
        key: [f"same layer class {key[0]} with the same configuration", "each is called once"]
        for _, key, _ in layers
    }
    return _group_findings(layers, successors, names, words, node_names)


def _group_findings(candidates, successors, names, words, node_names):
    groups = {}
    for n, key, starts in candidates:
        groups.setdefault(key, []).append((n, starts))
    found = []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        cut = len(members) > MAX_GROUP
        members = members[:MAX_GROUP]
        reach = [_reachable(starts, successors) for _, starts in members]
        feeds = _feeds(members, reach)
        high, meets = _parallel_components(members, reach, feeds)
        in_high = {i for comp in high for i in comp}
        for comp in high:
            found.append(_finding("high", comp, members, names, words[key], feeds, meets, node_names, cut))
        rest = [i for i in range(len(members)) if i not in in_high]
        if len(rest) >= 2:
            found.append(_finding("low", rest, members, names, words[key], feeds, meets, node_names, cut))
    found = merge_copies_of_one_scope(found)
    found.sort(key=lambda f: (f.confidence != "high", f.variables))
    return found


def copy_roots(variables):
    """Where look-alike names part: `tower/hidden/w`, `tower_1/hidden/w` -> ("tower", "tower_1")."""
    split = [name.split("/") for name in variables]
    for depth in range(min(len(parts) for parts in split)):
        if len({parts[depth] for parts in split}) > 1:
            return tuple(sorted({"/".join(parts[: depth + 1]) for parts in split}))
    return tuple(sorted(variables))


def merge_copies_of_one_scope(found):
    """High findings whose copies part at the same scopes are one bug: `tower_1` copies `tower`."""
    merged, by_roots = [], {}
    for finding in found:
        roots = copy_roots(finding.variables)
        if finding.confidence != "high" or roots == tuple(finding.variables):
            merged.append(finding)
        elif roots in by_roots:
            by_roots[roots].append(finding)
        else:
            by_roots[roots] = [finding]
            merged.append(by_roots[roots])
    return [item if isinstance(item, Finding) else _merged(item) for item in merged]


def _merged(group):
    if len(group) == 1:
        return group[0]
    roots = copy_roots(group[0].variables)
    variables = sorted(v for f in group for v in f.variables)
    evidence = [f"{', '.join(f.variables)}: {f.alike}" for f in group]
    evidence.append(group[0].relation)
    message = (
        f"{' and '.join(roots)} look like copies of one another: {len(variables)} look-alike variables "
        "run in parallel and were probably meant to be shared."
    )
    return Finding("high", variables, message, evidence)


def _reachable(starts, successors):
    """Ops reachable from `starts` (included), up to SEARCH_BUDGET visits; (set, complete)."""
    seen = set(starts)
    stack = list(starts)
    while stack and len(seen) < SEARCH_BUDGET:
        for nxt in successors[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen, not stack


def _feeds(members, reach):
    """feeds[a] = members whose reading ops are downstream of member a's."""
    return [
        {b for b, (_, starts) in enumerate(members) if b != a and any(s in reach[a][0] for s in starts)}
        for a in range(len(members))
    ]


def _parallel_components(members, reach, feeds):
    """Connected groups of members that neither feed each other nor stay apart; and where they meet."""
    parent = list(range(len(members)))
    meets = {}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a in range(len(members)):
        for b in range(a + 1, len(members)):
            if b in feeds[a] or a in feeds[b]:
                continue
            common = reach[a][0] & reach[b][0]
            if common:
                meets[(a, b)] = min(common)
                parent[root(a)] = root(b)
    comps = {}
    for a in range(len(members)):
        if any(a in pair for pair in meets):
            comps.setdefault(root(a), []).append(a)
    return [c for c in comps.values() if len(c) >= 2], meets


def _finding(confidence, idx, members, names, alike, feeds, meets, node_names, cut):
    var_names = sorted(names[members[i][0]] for i in idx)
    listed = ", ".join(var_names)
    if confidence == "high":
        where = sorted({node_names[m] for (a, b), m in meets.items() if a in idx and b in idx})
        relation = f"neither feeds the other and their outputs meet again at {where[0]}: parallel copies"
        message = f"{listed} look like copies of one variable: they run in parallel and were probably meant to be shared."  # noqa: E501
    else:
        chained = any(feeds[a] & set(idx) for a in idx)
        relation = (
            "each feeds the next: a sequential stack of alike layers, which is usually intended"
            if chained
            else "their outputs never meet"
        )
        message = (
            f"{listed} look alike but do not run in parallel; sharing is unlikely to have been intended."
        )
    evidence = [*alike, relation]
    if cut:
        evidence.append(f"only the first {MAX_GROUP} look-alikes were compared")
    return Finding(confidence, var_names, message, evidence, alike="; ".join(alike), relation=relation)
