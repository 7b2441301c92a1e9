"""Variable ops of a parsed TensorFlow graph -> `model.Variable`s: name, owner, shape, dtype, machinery.

In: parsed ops with roles. Out: variables (model weights and machinery state such as
optimizer slots, metric totals, seed states), helper ops folded into their variable, and
ops that only read machinery state turned into machinery themselves.

TF2 function graphs capture variables as resource placeholders named after the first op
that read them (`model/dense/MatMul/ReadVariableOp/resource`); such variables get the
most readable name the graph allows, `model/dense/kernel`, from the op that reads them and
the input it reads, and keep the placeholder's name as an alias.
"""

import functools
import re
from bisect import bisect_left

from .. import model as m
from ..reads import ReadResolver, touches
from .tf_roles import (
    ACCUMULATE_OPS,
    PLACEHOLDER_OPS,
    RNG_OPS,
    VARIABLE_CONSUMERS,
    WRITE_OPS,
    is_moving_average,
)
from .tf_shapes import dtype_name, handle_dtype, handle_shape, read_dtype, read_shape, shape_of

# TF2 gives variables made inside a tf.function this fixed shared_name
# (tensorflow/python/eager/context.py anonymous_name): it names no variable.
_ANONYMOUS = {"cd2c89b7-88b7-44c8-ad83-06c2a9158347", ""}

# Leaf names from the op that reads a captured variable and the input slot it reads,
# as Keras names the weights of those layers (keras/src/layers/...).
_LEAF_BY_READER = {
    ("MatMul", 1): "kernel", ("BatchMatMulV2", 1): "kernel", ("BatchMatMulV3", 1): "kernel",
    ("Conv2D", 1): "kernel", ("Conv1D", 1): "kernel", ("Conv3D", 1): "kernel",
    ("Conv2DBackpropInput", 1): "kernel", ("DepthwiseConv2dNative", 1): "depthwise_kernel",
    ("BiasAdd", 1): "bias", ("ResourceGather", 0): "embeddings", ("GatherV2", 0): "embeddings",
    ("FusedBatchNormV3", 1): "gamma", ("FusedBatchNormV3", 2): "beta",
    ("FusedBatchNormV3", 3): "moving_mean", ("FusedBatchNormV3", 4): "moving_variance",
}  # fmt: skip
# Name scopes that ops open inside one layer call; a derived owner scope drops them.
_INNER_SCOPES = re.compile(
    r"^(batchnorm|moments|Tensordot|einsum|MatMul|BiasAdd|Conv2D|convolution|embedding_lookup|"
    r"AssignMovingAvg(_\d+)?|ReadVariableOp(_\d+)?|Read|Cast|add|mul|sub|truediv|Rsqrt|resource)$"
)


def find_variables(parsed):
    """(variables, helper op indexes); sets roles of ops that only serve machinery state."""
    ops = parsed.ops
    variables, var_of_op, by_name = [], {}, {}
    colocated = {}  # variable -> the names its op is colocated with (`_class`: `loc:@dense/weights`)
    for i, op in enumerate(ops):
        if op.role != m.VARIABLE:
            continue
        attrs = op.attrs  # read once: upb makes a new map object on every read
        name = _name(op, attrs)
        if name in by_name:  # a second handle to the same shared_name is the same variable
            var_of_op[i] = by_name[name]
            variables[by_name[name]].helpers.add(i)
            continue
        captured = op.type in PLACEHOLDER_OPS or op.type == "_FnArg"
        owner = None if captured else m.scope_of(name)
        var = m.Variable(name, i, owner, *_declared_shape(op, attrs))
        if attrs is not None and "_class" in attrs:
            colocated[len(variables)] = [
                loc.decode("utf-8", "replace").removeprefix("loc:@") for loc in attrs["_class"].list.s
            ]
        by_name[name] = var_of_op[i] = len(variables)
        variables.append(var)
    _fold_helpers(ops, variables)
    _mark_slots(variables, by_name, colocated)
    resolver = ReadResolver(ops, var_of_op)
    variables, var_of_op = _drop_other_resources(ops, variables, var_of_op, resolver)
    resolver = ReadResolver(ops, var_of_op)
    touched = touches(ops, resolver)
    _complete_shapes(ops, variables, touched)
    _classify_machinery(ops, variables, touched, parsed.consumers)
    if any(v.owner_scope is None for v in variables):
        _derive_names(ops, variables, touched)
    return variables, resolver, touched


def _drop_other_resources(ops, variables, var_of_op, resolver):
    """Captured resources that no variable op takes (a dataset iterator, a writer) are not variables."""
    if not any(ops[var.node].type in PLACEHOLDER_OPS for var in variables):
        return variables, var_of_op  # nothing captured (a TF1 graph): no pass over the ops
    handled = set()
    for op in ops:
        if op.inputs and _takes_handle(op.type):
            handled |= resolver.sources(op.inputs[0])
    keep = [n for n, var in enumerate(variables) if n in handled or ops[var.node].type not in PLACEHOLDER_OPS]
    if len(keep) == len(variables):
        return variables, var_of_op
    for n, var in enumerate(variables):
        if n not in handled and ops[var.node].type in PLACEHOLDER_OPS:
            ops[var.node].role = m.COMPUTE  # an input like any other
    renumber = {old: new for new, old in enumerate(keep)}
    var_of_op = {op: renumber[n] for op, n in var_of_op.items() if n in renumber}
    return [variables[n] for n in keep], var_of_op


@functools.lru_cache(maxsize=4096)
def _takes_handle(op_type):
    """Memoised per op type: two regex tests per op, once per type instead."""
    return bool(VARIABLE_CONSUMERS.match(op_type) or RNG_OPS.match(op_type))


def _name(op, attrs):
    if op.type == "VarHandleOp" and "shared_name" in attrs:
        shared = attrs["shared_name"].s.decode("utf-8", "replace")
        if shared not in _ANONYMOUS:
            return shared
    return op.name


def _declared_shape(op, attrs):
    if attrs is None:
        return None, None
    if op.type in PLACEHOLDER_OPS:
        return handle_shape(attrs), handle_dtype(attrs)
    value = attrs.get("shape")  # one map look-up each: `in`, then `[]`, was two
    shape = None if value is None else shape_of(value)
    value = attrs.get("dtype")
    dtype = None if value is None else dtype_name(value.type)
    return shape, dtype


def _fold_helpers(ops, variables):
    """Ops under a variable's own name (initializer, Assign, `/read`) serve it: helpers, role init.

    An op is under a variable when its name starts with the variable op's name and a "/"; the
    outermost such variable owns it. The names are sorted once and each variable's ops found by
    bisection, outermost variables first: 0.17 s -> 0.10 s of CPU on the 150,047-op TF1 graph
    (walking each distinct scope's ancestors, 65,015 scopes there, cost more than the sort).
    """
    names = [op.name for op in ops]
    order = sorted(range(len(names)), key=names.__getitem__)
    ordered = [names[i] for i in order]
    owner = {}
    by_op_name = {ops[v.node].name: n for n, v in enumerate(variables)}  # the last variable of a name
    for name in sorted(by_op_name, key=len):  # outermost first: a nested variable's ops are its owner's
        n = by_op_name[name]
        lo = bisect_left(ordered, name + "/")
        hi = bisect_left(ordered, name + "0", lo)  # "0" follows "/": past every `name/...`
        for i in order[lo:hi]:
            owner.setdefault(i, n)
    compute, machinery, write = m.COMPUTE, m.MACHINERY, m.WRITE
    for i in sorted(owner):
        variables[owner[i]].helpers.add(i)
        op = ops[i]
        if (op.role == compute or op.role == machinery) and (op.machinery is None or op.machinery == write):
            op.role, op.machinery = machinery, m.INIT


def _mark_slots(variables, by_name, colocated):
    """TF1 optimizer slots: `dense/weights/Adam`, or colocated with `loc:@dense/weights` (beta1_power);
    and a moving average's shadows, made the same way: `dense/weights/ExponentialMovingAverage`
    (tf.compat.v1.train.ExponentialMovingAverage names a shadow by its variable, colocated)."""
    under = {}  # scope -> whether it or a scope above it is a variable's name
    for n, var in enumerate(variables):
        slot = any(target != var.name and target in by_name for target in colocated.get(n, ()))
        if slot or _under_a_variable(m.scope_of(var.name), by_name, under):
            leaf = var.name.rpartition("/")[2]
            var.machinery = m.MOVING_AVERAGE if is_moving_average(leaf) else m.OPTIMIZER


def _under_a_variable(scope, by_name, under):
    """Whether `scope` or a scope above it names a variable, remembered per scope in `under`: a
    layer's variables share their scope, so most are answered by one look-up."""
    walked, found = [], False
    while scope:
        known = under.get(scope)
        if known is not None:
            found = known
            break
        if scope in by_name:
            found = True
            break
        walked.append(scope)
        scope = m.scope_of(scope)
    for path in walked:
        under[path] = found
    return found


def _complete_shapes(ops, variables, touched):
    """Captured variables: shape and dtype from the reads that carry them (`_output_shapes`)."""
    readers = {}
    for n, var in enumerate(variables):
        if var.shape is None or var.dtype is None:
            readers[var.node] = n
    if not readers:
        return
    for op in ops:
        if op.type == "ReadVariableOp" and op.inputs and op.inputs[0][0] in readers:
            var = variables[readers[op.inputs[0][0]]]
            var.shape = var.shape if var.shape is not None else read_shape(op.attrs)
            var.dtype = var.dtype or read_dtype(op.attrs)


def _classify_machinery(ops, variables, touched, consumers):
    """Optimizer slots, metric totals, counters and seed states are machinery, not model weights.

    A variable is machinery when something accumulates into it outside the optimizer's
    update of a weight (metric totals and counts, iteration counters, seed states), when an
    integer variable is written, or when only machinery ever touches it (slots, learning
    rate). A moving-average update keeps a variable a weight (batch norm's moving stats).
    """
    kinds = [set() for _ in variables]
    model_touch = [False] * len(variables)
    for c, slot, v in touched:
        op = ops[c]
        var = variables[v]
        if op.role == m.MACHINERY:
            if op.machinery in (m.INIT, m.CHECKPOINT):
                continue  # these touch every variable
            if op.machinery == m.MOVING_AVERAGE:
                model_touch[v] = True
            kinds[v].add(op.machinery)
            if slot == 0 and WRITE_OPS.match(op.type):
                accumulate = ACCUMULATE_OPS.match(op.type) and op.machinery not in (
                    m.OPTIMIZER,
                    m.MOVING_AVERAGE,
                )
                integer = (var.dtype or "").startswith(("int", "uint"))
                if integer and var.machinery is None and _seeds_random_ops(ops, consumers, touched, v):
                    var.machinery = m.RNG  # a seed state (Keras 3's SeedGenerator), stepped on every call
                if accumulate or integer:
                    var.machinery = var.machinery or (m.COUNTER if integer else _state_kind(kinds[v]))
        else:
            model_touch[v] = True
    for v, var in enumerate(variables):
        if var.machinery is None and kinds[v] and not model_touch[v]:
            var.machinery = _state_kind(kinds[v])
        if var.trainable is None and var.machinery is None:
            var.trainable = (
                True if m.OPTIMIZER in kinds[v] else False if m.MOVING_AVERAGE in kinds[v] else None
            )
    # An op fed only by machinery state is machinery itself (a metric's `div_no_nan`).
    fed = {}
    for c, _, v in touched:
        fed.setdefault(c, []).append(variables[v].machinery)
    for c, machinery in fed.items():
        if ops[c].role in (m.COMPUTE, m.GRADIENT) and all(machinery):
            ops[c].role, ops[c].machinery = m.MACHINERY, machinery[0]


# Stateless random ops take their seed as a tensor (tensorflow/core/ops/stateless_random_ops*.cc):
# an integer variable whose value reaches one is a seed state, not a step counter.
_STATELESS_RANDOM = re.compile(r"^Stateless\w*(Random|Normal|Uniform|Multinomial|Shuffle)\w*$")
_SEED_STEPS = 6  # ops between the state's read and the random op (Keras: mul, floormod, cast, ...)


def _seeds_random_ops(ops, consumers, touched, v):
    """Whether variable `v`'s value reaches a stateless random op within a few ops."""
    frontier = {c for c, _, w in touched if w == v}
    seen = set(frontier)
    for _ in range(_SEED_STEPS):
        if any(_STATELESS_RANDOM.match(ops[c].type) for c in frontier):
            return True
        frontier = {d for c in frontier for d in consumers[c] if d not in seen}
        seen |= frontier
    return False


def _state_kind(kinds):
    for kind in (m.OPTIMIZER, m.RNG, m.SUMMARY, m.METRIC):
        if kind in kinds:
            return kind
    return m.METRIC


def _derive_names(ops, variables, touched):
    """Captured variables: `<scope of first reader>/<leaf>` (`model/dense/kernel`), alias the placeholder."""
    first = {}
    for c, slot, v in touched:
        op = ops[c]
        if op.role in (m.COMPUTE, m.GRADIENT) or op.machinery == m.MOVING_AVERAGE:
            if v not in first or (ops[first[v][0]].role == m.GRADIENT and op.role != m.GRADIENT):
                first[v] = (c, slot)
    taken = {v.name for v in variables if v.owner_scope is not None}
    for n, var in enumerate(variables):
        if var.owner_scope is not None:
            continue
        placeholder = var.name
        if n in first:
            c, slot = first[n]
            owner, leaf = _owner_and_leaf(ops[c], slot, placeholder)
        else:
            owner, leaf = m.scope_of(_strip_reader_suffix(placeholder)), "variable"
        name = m.join(owner, leaf)
        k = 1
        while name in taken:
            name = m.join(owner, f"{leaf}_{k}")
            k += 1
        taken.add(name)
        var.name, var.owner_scope, var.aliases = name, owner, [placeholder]


def _owner_and_leaf(op, slot, placeholder):
    parts = op.scope.split("/") if op.scope else []
    while parts and _INNER_SCOPES.match(parts[-1]):
        parts.pop()
    owner = "/".join(parts)
    leaf = _LEAF_BY_READER.get((op.type, slot))
    if leaf is None:
        if "AssignMovingAvg" in op.name:
            leaf = "moving_variance" if "AssignMovingAvg_1" in op.name else "moving_mean"
        elif "/batchnorm/" in op.name:  # Keras 2 batch norm, decomposed: scale by gamma, shift by beta
            leaf = "gamma" if op.type == "Mul" else "beta"
        else:
            leaf = op.name.rsplit("/", 1)[-1].lower()
    return owner, leaf


def _strip_reader_suffix(name):
    return re.sub(r"(/ReadVariableOp(_\d+)?)?/resource$|_readvariableop(_\d+)?_resource$", "", name)
