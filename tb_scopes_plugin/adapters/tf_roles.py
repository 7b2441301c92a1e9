"""TensorFlow op types and scope names -> roles (compute, pass, variable, machinery, gradient).

In: parsed ops. Out: each op's `role`, `port_rule`, `machinery` kind, and for gradient
ops the forward op they differentiate. Everything TensorFlow-specific about what an op
*means* lives here; the analysis only reads the roles.
"""

import functools
import itertools
import re
from bisect import bisect_right

from tensorboard.compat.proto import types_pb2

from .. import model as m
from .tf_parse import FN_ARG

# Ops that only forward a value or handle (tensorflow/core/ops/array_ops.cc,
# control_flow_ops.cc, resource_variable_ops.cc).
PASS_FIRST = {
    "Identity", "RefIdentity", "ReadVariableOp", "Enter", "RefEnter", "Exit", "RefExit", "Switch",
    "RefSwitch", "NextIteration", "RefNextIteration", "Cast", "Snapshot", "StopGradient",
    "PlaceholderWithDefault", "_Retval", "EnsureShape", "CheckNumerics",
}  # fmt: skip
PASS_ALL = {"Merge", "RefMerge"}  # any input may flow through
PASS_SAME_INDEX = {"IdentityN"}  # input i -> output i

VARIABLE_OPS = {"VariableV2", "Variable", "VarHandleOp", "TemporaryVariable"}
PLACEHOLDER_OPS = {"Placeholder", "_Arg"}

# Writes to a variable (input 0 is the variable): optimizer updates, assigns, scatters.
WRITE_OPS = re.compile(r"^(Resource)?(Sparse)?(Apply|Scatter|Assign)|^Assign\w*VariableOp$")
# Writes that add to the variable: metric totals, counters, seed states, optimizer slots.
ACCUMULATE_OPS = re.compile(r"^(AssignAdd|AssignSub|ResourceScatterAdd|ScatterAdd)")
APPLY_OPS = re.compile(r"^(Resource)?(Sparse)?Apply")  # an optimizer's fused update
CHECKPOINT_OPS = {
    "SaveV2",
    "Save",
    "SaveSlices",
    "RestoreV2",
    "Restore",
    "RestoreSlice",
    "MergeV2Checkpoints",
}
SUMMARY_OPS = re.compile(r"Summary|^SummaryWriter$|^CreateSummary|^CloseSummaryWriter|^FlushSummaryWriter")
INIT_CHECK_OPS = {"IsVariableInitialized", "VarIsInitializedOp"}
# Ops that take a resource variable's handle (tensorflow/core/ops/resource_variable_ops.cc): a
# resource placeholder that reaches none of them is another resource (an iterator, a table).
VARIABLE_CONSUMERS = re.compile(
    r"^(ReadVariableOp|ResourceGather\w*|Assign\w*VariableOp|VarIsInitializedOp|VariableShape|"
    r"DestroyResourceOp|Resource(Sparse)?Apply\w*|ResourceScatter\w*|ResourceStridedSliceAssign)$"
)
# Stateful RNG ops that read a seed-state variable (tensorflow/core/ops/stateful_random_ops.cc).
RNG_OPS = re.compile(r"^(RngReadAndSkip|RngSkip|StatefulUniform\w*|StatefulStandardNormal\w*|"
                     r"StatefulTruncatedNormal|StatefulRandomBinomial|NonDeterministicInts)$")  # fmt: skip

# Scope segments that mark machinery. Matched per "/"-separated segment, uniquifier dropped.
# Optimizer names are the class names users pass (tf.keras.optimizers, tf.compat.v1.train).
_OPTIMIZER_SCOPES = {
    "adam", "adamw", "sgd", "rmsprop", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lamb", "lion",
    "momentum", "gradientdescent", "adafactor", "optimizer", "loss_scale_optimizer", "lossscaleoptimizer",
}  # fmt: skip
_REGULARIZER = re.compile(r"(?i)(regulari[sz]er|weight_decay|^l[12]_loss$)")
_MOVING_AVERAGE = re.compile(r"^(AssignMovingAvg|ExponentialMovingAverage|moving_avg|ema)(_\d+)?$")
_CHECKPOINT_SCOPES = re.compile(r"^(save|saver|restore|checkpoint)$")
_INIT_SCOPES = re.compile(r"^(init|init_all_tables|init_all_vars|report_uninitialized_variables)$")
_METRIC_SCOPES = re.compile(r"^(metrics?|accuracy|mean_metric_wrapper|compile_metrics)$")
_UNIQUIFIER = re.compile(r"_\d+$")
# Text that every segment `_part_kind` names machinery by contains (its tests, unanchored).
_PART_HINT = re.compile(
    r"update_|AssignMovingAvg|ExponentialMovingAverage|moving_avg|ema|(?i:regulari[sz]er|weight_decay|l[12]_loss)"
)
# `_PART_HINT`'s words in lower case: a name holding none of them gives it no hit.
_HINT_WORDS = ("update_", "assignmovingavg", "exponentialmovingaverage", "moving_avg", "ema", "regularizer",
               "regulariser", "weight_decay", "l1_loss", "l2_loss")  # fmt: skip
# The root of a backward pass: tf.gradients' `gradients`, `gradients_1`; GradientTape's `gradient_tape`.
GRADIENT_ROOT = re.compile(r"^(gradients(_\d+)?|gradient_tape)$")


def assign_roles(parsed):
    """Set role, port rule and machinery kind on every op, then gradient links and optimizer ops.

    What an op type means is decided once per type (`_type_role`); the ops whose type decides
    nothing (most of them) get their machinery kind by name, in bulk (`_machinery_by_name`).
    Roles 0.23 s -> 0.08 s of CPU on the 150,047-op TF1 graph of benchmarks/side_by_side.py
    (0.49 s before the per-type and per-scope memos of the per-op loop this replaced).
    """
    ops, arg_types = parsed.ops, parsed.arg_types
    pass_role, variable, machinery = m.PASS, m.VARIABLE, m.MACHINERY
    types = [op.type for op in ops]
    by_type = {t: _type_role(t) for t in dict.fromkeys(types)}
    plain = {t for t, (role, kind, _) in by_type.items() if role is None and kind is None}
    named = [i for i, t in enumerate(types) if t in plain]  # ops whose name decides their kind
    if len(named) < len(ops):
        for i in [i for i, t in enumerate(types) if t not in plain]:
            op = ops[i]
            if op.role == pass_role:  # inlined calls and function args: set by the parser
                continue
            role, kind, _ = by_type[op.type]
            if role == pass_role:
                op.role, op.port_rule = pass_role, kind
            elif role == variable or (role == _PLACEHOLDER and is_resource(op, arg_types, i)):
                op.role = variable
            elif kind is not None:
                op.role, op.machinery = machinery, kind
            else:
                named.append(i)  # a placeholder that holds no handle: by name, as any other op
        named.sort()
    writes = {t for t, (_, _, w) in by_type.items() if w}
    kinds = _machinery_by_name(ops, named)
    for i, kind in [(i, k) for i, k in zip(named, kinds, strict=True) if k is not None or types[i] in writes]:
        op = ops[i]
        if op.role != pass_role:
            op.role, op.machinery = machinery, kind or m.WRITE
    link_gradients(ops, parsed.index)
    parsed.consumers = m.consumers(ops)  # the model keeps it for the analysis' forward searches
    mark_optimizer_downstream(ops, parsed.consumers)


def _machinery_by_name(ops, named):
    """The machinery kind (or None) that each op of `named` is given by its name: the rules of
    `_segments_machinery` on its scope, then `_last_segment_machinery` on its last segment.

    Most names name none: then only the first segment can (`_head_kind`, once per distinct
    one), and `_PART_HINT`, which every segment rule needs, is searched once over all the names
    joined (it holds no "/", so a hit lies inside one segment of one name): no per-op regex.
    """
    names = [ops[i].name for i in named]
    heads = [name.partition("/")[0] for name in names]
    by_head = {head: _head_kind(head) for head in dict.fromkeys(heads)}
    kinds = list(map(by_head.__getitem__, heads))
    for k in _hinted(names):
        if kinds[k] is None:  # a segment may name machinery: the whole rule, as the per-op loop ran it
            name = names[k]
            scope, cut, last = name.rpartition("/")
            kinds[k] = _segments_machinery(scope if cut else name)
            if kinds[k] is None and cut:
                kinds[k] = _last_segment_machinery(last)
    return kinds


def _hinted(names):
    """Positions of the names in which `_PART_HINT` finds something, in order.

    The regex, searched over 150,047 names joined, took 0.3 s (its case-insensitive
    alternatives defeat the literal scan); ASCII names are searched for its words with
    `str.find` on their lower case instead, a superset of its hits (every hit then runs
    the exact rules). Other names take the regex, whose case folding `lower` does not mirror.
    Where each name starts is worked out only when something is found (most graphs hold no such
    word: 0.007 s of the 0.037 s on the 150,047-op graph of benchmarks/side_by_side.py).
    """
    joined = "\n".join(names)
    if joined.isascii():
        lower, hits = joined.lower(), []
        for word in _HINT_WORDS:
            pos = lower.find(word)
            while pos >= 0:
                hits.append(pos)
                pos = lower.find(word, pos + 1)
        hits.sort()
    else:
        hits = [hit.start() for hit in _PART_HINT.finditer(joined)]
    if not hits:
        return []
    starts = list(itertools.accumulate((len(name) + 1 for name in names[:-1]), initial=0))
    return list(dict.fromkeys(bisect_right(starts, pos) - 1 for pos in hits))


_PLACEHOLDER = "placeholder"  # _type_role: a variable when it carries a resource handle
_UNKNOWN = object()  # not memoised yet (None is a memoised "no machinery")


def _type_role(t):
    """(role, port rule or machinery kind, whether it writes a variable) by the op type alone.

    The role is PASS, VARIABLE, _PLACEHOLDER or None (compute or machinery, by kind then name).
    """
    if t in PASS_FIRST:
        return m.PASS, m.FIRST, False
    if t in PASS_ALL:
        return m.PASS, m.ALL, False
    if t in PASS_SAME_INDEX:
        return m.PASS, m.SAME_INDEX, False
    if t in VARIABLE_OPS:
        return m.VARIABLE, None, False
    kind, writes = _type_machinery(t)
    return (_PLACEHOLDER if t in PLACEHOLDER_OPS else None), kind, writes


def _type_machinery(t):
    """(machinery kind by the op type alone or None, whether the type writes a variable)."""
    if APPLY_OPS.match(t):
        return m.OPTIMIZER, True
    if t in CHECKPOINT_OPS:
        return m.CHECKPOINT, False
    if SUMMARY_OPS.search(t):
        return m.SUMMARY, False
    if t in INIT_CHECK_OPS:
        return m.INIT, False
    if RNG_OPS.match(t):
        return m.RNG, False
    return None, bool(WRITE_OPS.match(t))


def _last_segment_machinery(part):
    """Machinery named by an op's own last segment (`AssignMovingAvg`, `l2_loss`), else None."""
    if _MOVING_AVERAGE.match(part):
        return m.MOVING_AVERAGE
    if _REGULARIZER.search(part):
        return m.REGULARIZER
    return None


def _segments_machinery(name):
    """Machinery by the "/"-separated segments of a name: its first one, then any one.

    Scopes rarely repeat (80,000 distinct ones in 160,000 synthetic ops), but their segments
    do (`block_7`, `layer_3`, `weights`, `gradients`), so the regex tests are memoised per
    segment: assign_roles 0.65 s -> 0.4 s of CPU at 160k ops.
    """
    cut = name.find("/")
    kind = _head_kind(name if cut < 0 else name[:cut])
    if kind is not None or not _PART_HINT.search(name):
        return kind  # no segment can name machinery: most scopes, tested without a split
    for part in name.split("/"):  # the op itself may carry the name: `model/bn/AssignMovingAvg`
        kind = _part_kind(part)
        if kind is not None:
            return kind
    return None


@functools.lru_cache(maxsize=65536)
def _head_kind(head):
    """Machinery named by a name's first segment (`Adam`, `save_1`, `init`, `metrics`), else None."""
    base = _UNIQUIFIER.sub("", head).lower()
    if base in _OPTIMIZER_SCOPES or head.startswith("update_"):
        return m.OPTIMIZER
    if _CHECKPOINT_SCOPES.match(base):
        return m.CHECKPOINT
    if _INIT_SCOPES.match(head):
        return m.INIT
    if _METRIC_SCOPES.match(base):
        return m.METRIC
    return None


def is_moving_average(part):
    """Whether one name segment is a moving average's (`ExponentialMovingAverage`, `AssignMovingAvg_1`)."""
    return _MOVING_AVERAGE.match(part) is not None


@functools.lru_cache(maxsize=65536)
def _part_kind(part):
    """Machinery named by any one segment, else None."""
    if part.startswith("update_"):  # TF1 optimizers: `Adam/update_dense/weights/ApplyAdam`
        return m.OPTIMIZER
    if _MOVING_AVERAGE.match(part):
        return m.MOVING_AVERAGE
    if _REGULARIZER.search(part):
        return m.REGULARIZER
    return None


def link_gradients(ops, index):
    """Backward-pass ops -> role gradient, with the forward op they differentiate when it exists.

    tf.gradients names them `gradients/<forward op>_grad/...`, GradientTape
    `gradient_tape/<forward op>/<grad op>` (tensorflow/python/ops/gradients_util.py,
    eager/backprop.py). The gradient of machinery (a regularizer's) is machinery.
    """
    for op in ops:
        name = op.name
        if "gradient" not in name or op.role == m.VARIABLE:
            continue
        link = _gradient_link(name)
        if link is None:
            continue
        if op.port_rule == m.BODY or op.type == FN_ARG:
            # Inlined calls and function args stay pass-through, so that reads are followed
            # through them, but they are the backward pass's (`gradients/while_grad/...`): drawn so.
            op.backward = True
            continue
        forward, site = link
        f = index.get(forward, -1)
        if f >= 0 and ops[f].role == m.MACHINERY:
            op.role, op.machinery = m.MACHINERY, ops[f].machinery
            continue
        if op.role == m.MACHINERY and op.machinery != m.WRITE:
            continue  # a gradient under an optimizer or regularizer scope stays what its scope says
        op.role, op.forward, op.grad_site = m.GRADIENT, f, site


def _gradient_link(name):
    """A backward-pass op's name -> (forward op name, call site), or None outside a backward pass.

    The forward op is the name with the gradient root dropped, cut at the first `X_grad`
    segment past the root (`gradients/dense/MatMul_grad/MatMul` -> `dense/MatMul`), else
    at the op's own scope. Everything but the last segment is memoised per scope: the ops
    of one gradient function share it (link_gradients 0.63 s -> 0.42 s under cProfile on
    the 150,047-op TF1 graph of benchmarks/side_by_side.py).
    """
    cut = name.rfind("/")
    if cut < 0:
        return ("", "") if GRADIENT_ROOT.match(name) else None
    found = _gradient_scope(name[:cut])
    last = name[cut + 1 :]
    if found is None:  # no root in the scope: the op itself may be one (`gradients`, `x/gradients_1`)
        scope = name[:cut]
        return (scope, scope) if GRADIENT_ROOT.match(last) else None
    at_grad, forward, site, joined = found
    if at_grad:
        return forward, site
    if last.endswith("_grad"):
        return _join(joined, last[: -len("_grad")]), joined if joined is not None else ""
    return forward, site


def _join(parts_text, part):
    return part if parts_text is None else f"{parts_text}/{part}"


@functools.lru_cache(maxsize=65536)
def _gradient_scope(scope):
    """The part of `_gradient_link` that a scope decides, or None when no segment is a root.

    (whether a segment past the root ends in `_grad`, forward, site, the scope with its root
    dropped or None when nothing is left): the last three as link_gradients joins them.
    """
    parts = scope.split("/")
    root = next((n for n, p in enumerate(parts) if GRADIENT_ROOT.match(p)), None)
    if root is None:
        return None
    prefix, rest = parts[:root], parts[root + 1 :]
    for n, p in enumerate(rest):
        if p.endswith("_grad"):
            return True, "/".join(prefix + rest[:n] + [p[: -len("_grad")]]), "/".join(prefix + rest[:n]), None
    # No `_grad` segment in the scope: as link_gradients would with one more (last) segment.
    joined = "/".join(prefix + rest) if prefix or rest else None
    return False, "/".join(prefix + rest), "/".join(prefix + rest[:-1]), joined


def mark_optimizer_downstream(ops, successors):
    """Compute and pass ops fed by gradients are the optimizer's (clipping, updates, apply).

    `successors`: model.consumers(ops).

    An inlined call (a `While`, a `PartitionedCall`) is followed port by port: into its body
    through its args, and out through the body output that an op reached, to the ops that read
    that output only. A gradient of a while loop adds its accumulators to the forward loop's
    own inputs (tensorflow/python/ops/while_v2.py: `_WhileGrad` calls `_add_while_inputs`),
    so taking the call whole made every forward op after a TF1 `dynamic_rnn` the optimizer's,
    and the weights it reads unused.
    """
    exits = _body_exits(ops)
    stack = [i for i, op in enumerate(ops) if op.role == m.GRADIENT]
    seen = set(stack)
    while stack:
        i = stack.pop()
        after = successors[i]
        if i in exits:
            after = itertools.chain(after, _readers_of_call_outputs(ops, successors, exits[i]))
        for c in after:
            if c in seen:
                continue
            op = ops[c]
            if op.body_outputs is not None and _is_call(op):
                continue  # its args carry the value in; its outputs are reached from the body
            seen.add(c)
            forwards = op.role == m.PASS and op.port_rule in (m.FIRST, m.SAME_INDEX) and op.type != FN_ARG
            if op.role == m.COMPUTE or forwards or (op.role == m.MACHINERY and op.machinery == m.WRITE):
                op.role, op.machinery = m.MACHINERY, m.OPTIMIZER  # gradients carry no variable
            if op.role != m.VARIABLE:
                stack.append(c)


def _is_call(op):
    return op.port_rule == m.BODY and op.role == m.PASS and op.body_outputs is not None


def _body_exits(ops):
    """Op index -> [(call, port)]: the inlined calls whose output `port` is that op's value.

    A body that returns a nested call's output is followed down to the op inside it.
    """
    exits = {}
    for c, op in enumerate(ops):
        if op.body_outputs is None or not _is_call(op):
            continue
        for port, (j, p) in enumerate(op.body_outputs):
            for _ in range(len(ops)):  # a hostile library's calls may return each other's outputs
                if j is None or not _is_call(ops[j]) or p >= len(ops[j].body_outputs):
                    break
                j, p = ops[j].body_outputs[p]
            if j is not None:
                exits.setdefault(j, []).append((c, port))
    return exits


def _readers_of_call_outputs(ops, successors, outputs):
    """The ops that read the given (call, port) outputs."""
    for call, port in outputs:
        for r in successors[call]:
            if (call, port) in ops[r].inputs:
                yield r


def is_resource(op, arg_types, i):
    """A placeholder-like op (`Placeholder`, `_Arg`, body arg) that carries a resource handle."""
    if op.type == FN_ARG:
        return arg_types.get(i) == types_pb2.DT_RESOURCE
    attrs = op.attrs
    if attrs is None:
        return False
    for key in ("dtype", "T"):
        if key in attrs and attrs[key].type == types_pb2.DT_RESOURCE:
            return True
    return False
