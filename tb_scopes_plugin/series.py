"""Series: runs of alike siblings folded into one box (`block0` … `block999` -> `block[0-999]`).

In: sibling names and, per sibling, a structure key (ops below, drawn sub-scopes, kinds of
direct ops). Out: the series among them, in order of their first member. The rule is the
tab's (frontend/src/series.ts); both are checked on tests/fixtures/series.json.

Siblings are alike when their names differ in one number only and their keys match.
`block0_1` … `block999_1` (an AUTO_REUSE scope's reuse calls) vary their first number;
`dense`, `dense_1`, `dense_2` (TF and Keras name uniquifying) count the bare name as member 0.
A run folds when it has at least SERIES_MIN members and makes at least SERIES_SHARE of its
box, so a box crowded by repetition folds while a chain of distinct layers stays as it is.
"""

import re

SERIES_MIN = 3
# A run of leaf ops (`zeros_like` … `zeros_like_300` in a `gradients` scope) folds from five members,
# as the Graphs dashboard folds numbered op nodes (`seriesNodeMinSize: 5` in its hierarchy params,
# tensorboard/plugins/graph/tf_graph_loader): three calls of one shared layer in a TF2 scope
# (`MatMul`, `MatMul_1`, `MatMul_2`) stay drawn one by one.
OP_SERIES_MIN = 5
SERIES_SHARE = 0.1
SPAN_MAX = 16  # longest list of numbers and ranges a series name shows
_MARK = "\0"  # stands for the varying number in a template; no graph name holds it
_DIGITS = re.compile(r"[0-9]+")
_ASCII_DIGITS = set("0123456789")


def kinds_key(types):
    """Sorted kinds of ops with their counts, `AddN*2000,Const`: the last part of a structure key.

    Counted rather than listed, so that a stub's key (frontier.py) stays short for a
    `gradients` scope of 2,000 AddN ops; frontend/src/model.ts writes the same.
    """
    count = {}
    for t in types:
        count[t] = count.get(t, 0) + 1
    return ",".join(t if n == 1 else f"{t}*{n}" for t, n in sorted(count.items()))


def find_series(names, keys, minimum=SERIES_MIN):
    """[(member positions, bare first then by number), series name)] for the series among `names`."""
    cands = [_candidates(name) for name in names]
    count = {}
    for i, cs in enumerate(cands):
        for template, _, _ in cs:
            count[(template, keys[i])] = count.get((template, keys[i]), 0) + 1
    groups = {}
    for i, cs in enumerate(cands):
        best = None  # each name joins its largest run; on a tie the later number wins
        for c in cs:
            if best is None or count[(c[0], keys[i])] >= count[(best[0], keys[i])]:
                best = c
        if best is not None:
            groups.setdefault((best[0], keys[i]), []).append((i, best))
    out = []
    for members in groups.values():
        if len(members) < minimum or len(members) < SERIES_SHARE * len(names):
            continue
        if all(bare for _, (_, _, bare) in members):
            continue
        members.sort(key=lambda m: (not m[1][2], m[1][1], m[0]))
        first = min(i for i, _ in members)
        out.append((first, [i for i, _ in members], _series_name([c for _, c in members])))
    return [(positions, name) for _, positions, name in sorted(out)]


def _candidates(name):
    out = [
        (name[: m.start()] + _MARK + name[m.end() :], int(m.group()), False) for m in _DIGITS.finditer(name)
    ]
    if name[-1:] not in _ASCII_DIGITS:
        out.append((f"{name}_{_MARK}", 0, True))
    return out


def _series_name(members):
    span = _span(sorted({number for _, number, bare in members if not bare}))
    before, after = members[0][0].split(_MARK)
    # A number already in brackets (PyTorch's `Linear[0]`) keeps them: `Linear[0-3]`.
    if before.endswith("[") and after.startswith("]"):
        name = f"{before}{span}{after}"
    else:
        name = f"{before}[{span}]{after}"
    return f"{before[:-1]}, {name}" if members[0][2] else name


def _span(numbers):
    """`0-999`; gaps shown while short (`0-2,5`), else only the ends."""
    runs, start = [], 0
    for k in range(1, len(numbers) + 1):
        if k == len(numbers) or numbers[k] != numbers[k - 1] + 1:
            lo, hi = numbers[start], numbers[k - 1]
            runs.append(f"{lo}" if lo == hi else f"{lo}-{hi}")
            start = k
    text = ",".join(runs)
    return text if len(text) <= SPAN_MAX else f"{numbers[0]}-{numbers[-1]}"
