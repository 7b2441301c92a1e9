"""Possible missed sharing: copies of one layer that were probably meant to be one.

Copies meant to be one apply the same function to *different* inputs along matching
paths and meet again: two towers on two inputs. A pair of alike weights (same shape,
dtype and kinds of reading ops; names are evidence, never the criterion) is a `high`
finding only when all of these hold:
- alike layers: every weight of one layer has an alike weight in the other. Two Dense
  layers of a multi-input model (10 -> 8 and 20 -> 8) have alike biases, but one layer
  could not take both inputs;
- different inputs: the tensors entering their layers differ. Parallel layers on one
  input (Q/K/V projections, Inception branches, heads, ensembles) are by design;
- neither feeds the other, and their outputs meet again;
- matching paths: as far from their nearest common ancestor (or from the graph's
  inputs) upstream, and as far from where they meet downstream. A shortcut conv and a
  block's last conv are alike and meet at the add, but sit at different depths.
A shape known in part is no evidence of copies (`[?, 16]`: a PyTorch graph gives an
embedding's width, not its vocabulary): copies with a layer whose shapes are not all known
make a `low` note, unless their names say copies.
Alike weights that feed one another (a stack of alike layers) are one `low` note.
"""

import collections
import re

from .base import HIGH, LOW, MISSED_SHARING, UNIQUIFIER, Finding, normalised
from .paths import FlowGraph

MAX_GROUP = 64  # larger groups are cut to their first 64 members (said in the evidence)
_NUMBERS = re.compile(r"(_\d+)+$")

# Two weights that look like copies: (report, paths) of each, their alike key, whether their
# group was cut, the roots of a scope entered twice (or None), whether every weight of both
# layers has a whole shape, and the op where their outputs meet.
_Pair = collections.namedtuple("_Pair", "a b key cut roots known meet")


def find(model, analysis):
    if not any(report.status == "unshared" for report in analysis.variables):
        # Nothing to compare, and the flow graph is a pass over every op: 0.05-0.07 s of CPU for
        # the 150,047-op TF1 graph, whose 2,000 weights are all shared.
        return []
    flow = FlowGraph(model, analysis)
    groups = collections.defaultdict(list)
    layers = collections.defaultdict(list)  # layer -> the alike keys of its weights
    for report in analysis.variables:
        if report.status != "unshared":
            continue  # a shared weight is already shared; an unused one copies nothing
        starts = flow.starts(report)
        if starts:
            # Traces carry no shapes: then dtype and reading ops make the look-alikes, and
            # the symmetry test below does the rest.
            shape = tuple(report.shape) if report.shape is not None else None
            kinds = tuple(sorted({model.ops[s].type for s in starts}))
            groups[(shape, report.dtype, kinds)].append((report, starts))
            layers[_layer(report)].append((shape, report.dtype, kinds))
    signatures = {}  # layer -> the multiset of its weights' alike keys, made when first compared

    def signature(report):
        layer = _layer(report)
        made = signatures.get(layer)
        if made is None:
            made = signatures[layer] = frozenset(collections.Counter(layers[layer]).items())
        return made

    found, high, stacks = [], [], []
    for key, members in groups.items():
        if len(members) < 2:
            continue
        paths, pairs, chained, cut = _compare(flow, members, signature)
        for a, b, meet, roots in pairs:
            ra, rb = members[a][0], members[b][0]
            known = _whole(layers[_layer(ra)]) and _whole(layers[_layer(rb)])
            high.append(_Pair((ra, paths[a]), (rb, paths[b]), key, cut, roots, known, meet))
        if chained and not pairs:
            stacks.append(([members[n][0] for n in sorted(chained)], key, cut))
    found += [_low(stack) for stack in _same_layers(stacks)]
    # Copies that meet at one op are one bug, whatever their shapes; so are copies that pair up
    # with one another across meeting ops (four towers compared with the first one at sub,
    # sub_1, sub_2 and with each other at AddN): one finding names all four, not four findings.
    for pairs in _connected(high):
        found.append(_high(model, pairs))
    return found


def _named_copies(pairs):
    """Do the names say copies: every pair one scope entered twice, or its names equal up to numbers?

    Up to every trailing number of a segment: a trace numbers Keras's layers again inside the
    function, so the two towers of `dense`...`dense_3` read as `dense_6_1` and `dense_8_1`.
    """
    return all(p.roots is not None or _unnumbered(p.a[0].name) == _unnumbered(p.b[0].name) for p in pairs)


def _whole(keys):
    """Whether every shape among a layer's alike keys is known, every dimension of it."""
    return all(shape is not None and all(d >= 0 for d in shape) for shape, _, _ in keys)


def _unnumbered(name):
    return "/".join(_NUMBERS.sub("", part) for part in name.split("/"))


def _root(up, x):
    """Union-find over the dict `up` (item -> parent): the root of `x`, halving the path on the way."""
    while up.setdefault(x, x) != x:
        up[x] = x = up[up[x]]
    return x


def _connected(pairs):
    """The pairs in groups that share a meeting op or a variable, in order of first appearance."""
    up = {}
    for (a, _), (b, _), *_, meet in pairs:  # _Pair: a, b, ..., meet
        up[_root(up, ("op", meet))] = _root(up, ("var", a.name))
        up[_root(up, ("var", b.name))] = _root(up, ("var", a.name))
    groups = collections.defaultdict(list)
    for pair in pairs:
        groups[_root(up, ("op", pair[-1]))].append(pair)
    return list(groups.values())


def _compare(flow, members, signature):
    """Each member's paths, the high pairs (a, b, meeting op), and the members that feed or are fed
    by another (a stack of alike layers).

    `signature(report)`: the alike keys of the weights of its layer, as a multiset; two weights
    pair only when their layers' are the same.
    """
    cut = len(members) > MAX_GROUP
    members[:] = members[:MAX_GROUP]
    paths = [flow.paths(report, starts) for report, starts in members]
    layer_of = [signature(report) for report, _ in members]
    # Parallel on one input: two layer calls that take one tensor. Counted per call, not per weight:
    # a norm's gamma, beta and moving statistics are alike and take its one input.
    calls = {frozenset(p.starts): p.inputs for p in paths}
    counts = collections.Counter(x for inputs in calls.values() for x in set(inputs))
    fan_out = [any(counts[x] > 1 for x in p.inputs) for p in paths]
    pairs, chained = [], set()
    for a in range(len(members)):
        for b in range(a + 1, len(members)):
            if set(paths[a].starts) & set(paths[b].starts):
                continue  # weights of one layer call (a kernel and its bias, gamma and beta)
            if members[a][0].name == members[b][0].name:
                continue  # one name, two variables: the same-name rule says it, with its own fix
            if layer_of[a] != layer_of[b]:
                continue  # alike biases of unalike layers: one layer could not take both inputs
            if paths[a].feeds(paths[b]) or paths[b].feeds(paths[a]):
                chained |= {a, b}
            elif not fan_out[a] and not fan_out[b]:
                meet = paths[a].symmetric_copy_of(paths[b])
                roots = _entered_twice(members[a][0], members[b][0]) if meet is None else None
                if roots is not None:
                    meet = paths[a].twin_of(paths[b], *roots)
                if meet is not None:
                    pairs.append((a, b, meet, roots))
    return paths, _one_to_one(members, paths, pairs), chained, cut


def _one_to_one(members, paths, pairs):
    """The pairs with each weight of a layer call paired with one weight of its copy's call.

    A norm's gamma, beta and moving statistics are alike (one shape, read by one op): in two
    copies of a Keras BatchNormalization every one of the four pairs with all four of the
    other's, and 206 copied weights of two MobileNetV3 encoders came out as 614 pairs, `beta`
    beside its copy's `gamma`. Within two calls, weights whose names differ least pair first
    (`left.bn.gamma` with `right.bn.gamma`), then in the order the graph lists them, as a layer
    makes them.
    """
    by_calls = collections.defaultdict(list)  # (one call, the other) -> (its weight, the other's, pair)
    for pair in pairs:
        a, b = pair[0], pair[1]
        if min(paths[b].starts) < min(paths[a].starts):  # one key for two calls, whichever weight is a
            a, b = b, a
        by_calls[(frozenset(paths[a].starts), frozenset(paths[b].starts))].append((a, b, pair))
    kept = []
    for group in by_calls.values():
        group.sort(key=lambda t: (_pair_rank(members[t[0]][0].name, members[t[1]][0].name), t[0], t[1]))
        taken_a, taken_b = set(), set()
        for a, b, pair in group:
            if a not in taken_a and b not in taken_b:
                taken_a.add(a)
                taken_b.add(b)
                kept.append(pair)  # as _compare made it: its scope roots follow its order
    return sorted(kept, key=lambda p: (p[0], p[1]))


def _pair_rank(a, b):
    """How well two weights' names pair, lowest best: how many segments tell them apart.

    `left.fc1.weight` and `right.fc1.weight` differ in one; two BERT towers' position embedding
    and the other's token-type embedding differ in two. Without shapes those tables are all
    `[?, 32]`, and paired by last name alone (`weight`) the one went with the other.
    """
    sep = "/" if "/" in a else "."
    pa, pb = a.split(sep), b.split(sep)
    return (len(pa) != len(pb), sum(x != y for x, y in zip(pa, pb, strict=False)), _leaf(a) != _leaf(b))


def _leaf(name):
    """A weight's own name within its layer: `gamma` of `encoder/bn/gamma`, `weight` of `left.fc.weight`."""
    return _split_last(name)[2]


def _split_last(name):
    """`name.rpartition` at its last scope separator: `/`, or PyTorch's `.` in a name without one."""
    return name.rpartition("/" if "/" in name else ".")


def _entered_twice(a, b):
    """(root of a, root of b) when two weights say one scope was entered twice without reuse; else None.

    By their names (`discriminator/h1/kernel`, `discriminator_1/h1/kernel`): the same path below
    two roots equal up to a _N suffix, with a layer between root and weight. Else by their
    layers (owner scopes), where a framework numbers layers across the whole model: the same
    layer of two instances of one Keras sub-model is `sequential/dense_2` in one and
    `sequential_1/dense_4` in the other. A bare layer's name (`dense_3/kernel`, Keras's own
    numbering) is no such evidence.
    """
    found = _same_below_roots(a.name, b.name, numbered=False)
    if found is None and a.owner_scope and b.owner_scope:
        found = _same_below_roots(a.owner_scope, b.owner_scope, numbered=True)
    return found


def _same_below_roots(a, b, numbered):
    roots = copy_roots([a, b])
    if len(roots) != 2 or normalised(roots[0]) != normalised(roots[1]):
        return None
    sep = "/" if "/" in a else "."
    ra, rb = roots if a.startswith(roots[0] + sep) else roots[::-1]
    below_a, below_b = a[len(ra) + 1 :], b[len(rb) + 1 :]
    if not below_a or not below_b:
        return None
    if numbered:
        return (ra, rb) if normalised(below_a) == normalised(below_b) else None
    if below_a != below_b or sep not in below_a:
        return None
    return ra, rb


def _alike(key):
    shape, dtype, kinds = key
    if shape is None:
        shape = "shapes not in the graph"
    elif all(d >= 0 for d in shape):
        shape = f"same shape {list(shape)}"
    else:
        dims = ", ".join(str(d) if d >= 0 else "?" for d in shape)
        shape = f"same known dimensions [{dims}]"
    dtype = f", dtype {dtype}" if dtype else ""  # a Keras config without a dtype policy has none
    return f"{shape}{dtype}, read by the same kinds of ops ({', '.join(kinds)})"


def _high(model, pairs):
    """One finding for pairs of copies that meet again: a bug, or a note when the graph does not
    give every shape of their layers whole and the names do not say copies either.

    `pairs`: _Pair.
    """
    names = sorted({r.name for p in pairs for r, _ in (p.a, p.b)})
    # Where the copies part: the scopes entered twice, when the names or the layers say so (Keras
    # numbers the layers of two sub-model instances apart: `sequential/dense`, `sequential_1/
    # dense_3`, so the weights' names alone part at every layer), else where the names part.
    entered = [p.roots or _entered_twice(p.a[0], p.b[0]) for p in pairs]
    roots = tuple(sorted({r for ab in entered for r in ab})) if all(entered) else copy_roots(names)
    each = [ab or copy_roots([p.a[0].name, p.b[0].name]) for p, ab in zip(pairs, entered, strict=True)]
    # The evidence starts with the copies nearest the inputs: where the towers part.
    pairs = sorted(pairs, key=lambda p: (max(p.a[1].up.values(), default=0), p.a[0].name))
    (first_a, pa), (first_b, pb), roots_ab = pairs[0].a, pairs[0].b, pairs[0].roots
    meets = list(dict.fromkeys(_op_label(model.ops[p.meet]) for p in pairs))
    evidence = [f"{p.a[0].name}, {p.b[0].name}: {_alike(p.key)}" for p in pairs[:5]]
    if len(pairs) > 5:
        more = len(pairs) - 5
        evidence.append(f"and {more} more pair{'s' if more > 1 else ''} of look-alike weights")
    evidence += [
        f"they take different inputs ({pa.input_label()} and {pb.input_label()}) "
        f"and sit at matching depths ({pa.depth_label(pb, roots_ab)})",
        f"neither feeds the other and their outputs meet again at {_words(meets)}: parallel copies",
        "names equal up to a _N suffix"
        if _unnumbered(first_a.name) == _unnumbered(first_b.name)
        else f"their names differ ({_words(roots)}): the structure matched, not the names",
    ]
    roles = all(_named_for_roles(ab) for ab in each)
    if roles:
        evidence[-1] = f"their names give them different roles ({_words(roots)}), not a copy's number or side"
    if any(p.cut for p in pairs):
        evidence.append(f"only the first {MAX_GROUP} look-alikes of a kind were compared")
    if not all(p.known for p in pairs) and not _named_copies(pairs):
        # Shapes not in the graph, or only in part, and names that do not say copies: a two-tower
        # model (a dual encoder: text and image towers of different widths, keras_hub's CLIP; a
        # recommender's user and item embeddings, PyTorch's `[?, 16]`, with alike layers after
        # them) matches the structure as well as copies do. Said, not painted a bug.
        partly = any(p.key[0] is not None for p in pairs)
        message = (
            f"{_words(roots)} have the same structure, but the graph records "
            f"{'only part of their shapes' if partly else 'no shapes'} to tell copies from towers of "
            f"different sizes: probably intended, listed in case they were meant to be shared "
            f"({_shapes_hint(model)} to check)."
        )
        return Finding(MISSED_SHARING, LOW, names, message, evidence, "")
    if roles:
        # The graph cannot tell a deep copy from a second instance made on purpose: the query and
        # document encoders of a dual encoder (DPR), a target or teacher network (MoCo's
        # `encoder_q` and `encoder_k`, BYOL's online and target) take different inputs, have the
        # same structure and meet at the loss, exactly as copies do. Their names say which.
        message = (
            f"{_words(roots)} have the same structure and take different inputs, but are named for "
            "different roles: probably two networks by design (a dual encoder, a target or teacher "
            "network), listed in case they were meant to be one."
        )
        return Finding(MISSED_SHARING, LOW, names, message, evidence, "")
    message = (
        f"{_words(roots)} look like copies of one another: {len(names)} look-alike weights apply the same "
        f"layers to different inputs and meet again, so they were probably meant to be shared."
    )
    return Finding(MISSED_SHARING, HIGH, names, message, evidence, _fix(model, roots))


# Words that tell apart several inputs or copies of one network, not roles: `left` and `right`,
# `tower_a` and `tower_b`, `enc` and `enc_copy`, a triplet's `anchor`, `positive` and `negative`.
_COPY_WORDS = frozenset(
    "left right l r a b c first second third one two three copy clone dup duplicate "
    "anchor positive negative pos neg".split()
)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")  # `queryEncoder2` -> query, Encoder, 2


def _named_for_roles(roots):
    """Whether two copies' roots are named for different roles: their last segments differ by
    more than numbers and copy words (`query_encoder` and `doc_encoder`; not `tower_1`, `right`)."""
    if len(roots) != 2:
        return False
    words = [
        [w for w in map(str.lower, _WORD.findall(_leaf(root))) if w not in _COPY_WORDS and not w.isdigit()]
        for root in roots
    ]
    return words[0] != words[1]


def _shapes_hint(model):
    """How to log the shapes the graph lacks (README, logging styles)."""
    if model.framework == "pytorch":
        return "log the parameters with tb_scopes_plugin.summary.torch_parameters"
    return "log the variables with tb_scopes_plugin.summary.variables"


def _op_label(op):
    """An op's name, with its type when the name does not say it: PyTorch's tracer names an op by
    the value it makes (`SiameseViT/input` is an `aten::sub`); `sub` (TensorFlow's Sub) and
    Keras's `subtract_1` (a Subtract) say theirs."""
    kind = op.type.rpartition(":")[2].lower().strip("_")
    return op.name if kind in op.name.rpartition("/")[2].lower() else f"{op.name} ({op.type})"


def _words(items):
    items = list(items)
    if len(items) > 4:
        return ", ".join(items[:3]) + f" and {len(items) - 3} more"
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _layer(report):
    """The layer a weight belongs to: its owner scope, else its name's parent (`/` or PyTorch's `.`)."""
    if report.owner_scope:
        return report.owner_scope
    return _split_last(report.name)[0] or report.name


def _same_layers(stacks):
    """Stacks of alike weights grouped when they share a layer: a stack of dense layers is one
    note, not one for its kernels and one for its biases. Each group: [(reports, key, cut)]."""
    up = {}
    for n, (reports, _, _) in enumerate(stacks):
        for report in reports:
            up[_root(up, ("layer", _layer(report)))] = _root(up, ("stack", n))
    groups = collections.defaultdict(list)
    for n, stack in enumerate(stacks):
        groups[_root(up, ("stack", n))].append(stack)
    return list(groups.values())


def _low(stacks):
    names = sorted(r.name for reports, _, _ in stacks for r in reports)
    layers = {_layer(r) for reports, _, _ in stacks for r in reports}
    # Which weights each likeness is about: the CLI prints the evidence, not the finding's variables.
    evidence = [f"{_words(sorted(r.name for r in reports))}: {_alike(key)}" for reports, key, _ in stacks]
    evidence.append("each feeds the next: a stack of alike layers, which is usually intended")
    if any(cut for *_, cut in stacks):
        evidence.append(f"only the first {MAX_GROUP} look-alikes of a kind were compared")
    message = (
        f"{len(layers)} alike layers in a stack: probably intended, listed in case they were meant to be one."
    )
    return Finding(MISSED_SHARING, LOW, names, message, evidence, "")


def _fix(model, roots):
    copies, inputs = ("both copies", "both inputs") if len(roots) <= 2 else ("every copy", "every input")
    if model.framework == "pytorch":
        return (
            f"apply one module to {inputs} (a second instance, or a copy.deepcopy, has parameters of its own)"
        )
    if model.framework == "keras" or model.names_derived or model.calls_share_scopes:
        # A TF2 graph (a trace, tf_keras's op graph) holds variables its layers made once, eagerly:
        # variable_scope has no say over them, even when the logged names are real.
        return f"create the layer (or sub-model) once and call it on {inputs}"
    scope = UNIQUIFIER.sub("", roots[0].rsplit("/", 1)[-1]) if roots else "tower"
    return (
        f'build {copies} in tf.compat.v1.variable_scope("{scope}", reuse=tf.compat.v1.AUTO_REUSE), '
        "or enter the first copy's scope again with reuse=True"
    )


def copy_roots(variables):
    """Where the copies' names part: `tower/hidden/w`, `tower_1/hidden/w` -> ("tower", "tower_1");
    PyTorch's `left.fc1.weight`, `right.fc1.weight` -> ("left", "right")."""
    sep = "/" if any("/" in name for name in variables) else "."
    split = [name.split(sep) for name in variables]
    for depth in range(min(len(parts) for parts in split)):
        if len({parts[depth] for parts in split}) > 1:
            return tuple(sorted({sep.join(parts[: depth + 1]) for parts in split}))
    return tuple(sorted(variables))
