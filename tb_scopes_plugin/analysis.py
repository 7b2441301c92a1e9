"""`model.Model` -> uses by call site, created / reused, and each variable's status.

    weights, machinery = split(model)            # model weights vs optimizer/metric/seed state
    reads = read_pairs(model)                    # (op, variable) through pass-through ops
    uses = group_by_call(model, reads)           # compute reads make uses; gradients join them
    classify(weights)                            # created / reused; shared / unshared / unused

Reads only roles, scopes and port rules: no format, no op type name. Everything is
iterative (no recursion limit on deep graphs) and cycle-safe (while loops).
"""

from dataclasses import dataclass, field
from operator import attrgetter

from . import model as m
from .reads import ReadResolver, touches


@dataclass
class Use:
    call_site: str  # name scope of the reading ops
    call: int = 0  # which call at that scope (0 unless calls of one layer share a scope)
    ops: list = field(default_factory=list)  # op names, sorted at the end
    first: int = 0  # index of the first reading op, for "which call came first"
    status: str = "reused"  # created / reused
    updated_only: bool = False  # no op reads it; machinery keeps it (batch norm's moving stats)


@dataclass
class VariableReport:
    """A model weight with what the analysis found; wraps the adapter's `model.Variable`."""

    var: m.Variable
    index: int  # position in Model.variables
    uses: dict = field(default_factory=dict)  # use_key(call site, call) -> Use
    status: str = "unused"  # shared / unshared / unused
    findings: list = field(default_factory=list)  # indexes into the findings list

    # The wrapped variable's fields, read through C getters (`attrgetter`), not lambdas: at a
    # million ops (150k variables) the lambdas' calls were 3.7% of the engine's time (py-spy).
    name = property(attrgetter("var.name"))
    owner_scope = property(attrgetter("var.owner_scope"))
    shape = property(attrgetter("var.shape"))
    dtype = property(attrgetter("var.dtype"))
    params = property(attrgetter("var.params"))
    node = property(attrgetter("var.node"))


@dataclass
class Analysis:
    variables: list  # VariableReport of model weights, sorted by name
    machinery: list  # model.Variable of machinery state, sorted by name
    reads: list  # (op index, position in `variables`, reused) for compute and gradient reads
    folded: set  # op indexes not drawn: variable helpers and pure variable reads


def analyse(model):
    var_of_op = {}
    for n, var in enumerate(model.variables):
        var_of_op[var.node] = n
        for h in var.helpers:
            if model.ops[h].role == m.VARIABLE:
                var_of_op[h] = n
    resolver = ReadResolver(model.ops, var_of_op)
    touched = model.touches if model.touches is not None else touches(model.ops, resolver)
    weights = {n: VariableReport(var, n) for n, var in enumerate(model.variables) if var.machinery is None}
    keys = group_by_call(model, weights, touched)
    classify(weights.values())
    order = sorted(weights, key=lambda n: (weights[n].name, n))
    position = {n: p for p, n in enumerate(order)}
    reads = []
    for (c, n), key in keys.items():
        use = weights[n].uses.get(key)
        if use is not None:
            reads.append((c, position[n], int(use.status == "reused")))
    reads.sort()
    machinery = sorted((v for v in model.variables if v.machinery is not None), key=lambda v: v.name)
    return Analysis([weights[n] for n in order], machinery, reads, fold(model, resolver, var_of_op))


def group_by_call(model, weights, touched):
    """Uses per variable; returns (op, variable) -> use key for every read that joined a use."""
    ops = model.ops
    compute, gradient, updates = [], [], {}
    for c, _, n in touched:
        if n not in weights:
            continue
        role = ops[c].role
        if role == m.COMPUTE:
            compute.append((c, n))
        elif role == m.GRADIENT:
            gradient.append((c, n))
        elif ops[c].machinery == m.MOVING_AVERAGE:
            updates.setdefault(n, []).append(c)
    keys = {}
    rank = {}  # (variable, site, op type) -> how many ops of that type read it there so far
    compute = list(dict.fromkeys(compute))  # an op reading one variable twice is one read
    chained = ChainedCalls(model, weights, compute)
    for c, n in compute:
        op = ops[c]
        if model.calls_share_scopes:
            # The k-th op of a type reading a variable in one scope belongs to the k-th call
            # (tf_keras runs every call of a layer in the layer's scope: MatMul, MatMul_1).
            k = rank.get((n, op.scope, op.type), 0)
            rank[(n, op.scope, op.type)] = k + 1
        else:
            k = op.call or chained.call_of(c, n)
        keys[(c, n)] = _add(weights[n], op.scope, k, c, op.name)
    if model.control_scopes:
        _join_loop_reads(weights, keys, model.control_scopes)
    for c, n in dict.fromkeys(gradient):
        op = ops[c]
        key = keys.get((op.forward, n))
        if key is None and use_key(op.grad_site, 0) in weights[n].uses:
            key = use_key(op.grad_site, 0)
        if key is not None:  # a gradient joins its forward op's use; it never makes one
            use = weights[n].uses[key]
            keys[(c, n)] = _add(weights[n], use.call_site, use.call, c, op.name)
    for n, update_ops in updates.items():
        report = weights[n]
        if not report.uses and report.owner_scope is not None:
            for c in update_ops:
                key = _add(report, report.owner_scope, 0, c, ops[c].name)
            report.uses[key].updated_only = True
    return keys


class ChainedCalls:
    """Reads of one weight in one scope that other layers separate are separate calls.

    A tied embedding read by its lookup and, after every layer of the model, by the output
    projection, both in scope `model`, is used twice, though one scope holds both reads.
    A read starts a new call when it is downstream of the previous call's reads through an
    op that reads another layer's weights. Only weights read more than once in one scope
    are searched, with a bounded search.
    """

    BUDGET = 50_000

    def __init__(self, model, weights, compute):
        self.ops = model.ops
        by_site = {}
        for c, n in compute:
            by_site.setdefault((n, self.ops[c].scope), []).append(c)
        self.repeated = {key: sorted(cs) for key, cs in by_site.items() if len(cs) > 1}
        self.compute = compute
        self.owners = None  # op -> owner scopes of the weights it reads, made for the first search
        self.weights = weights
        self.calls = {}
        self.succs = None

    def call_of(self, c, n):
        key = (n, self.ops[c].scope)
        if key not in self.repeated:
            return 0
        if key not in self.calls:
            self.calls[key] = self._split(self.repeated[key], self.weights[n].owner_scope)
        return self.calls[key].get(c, 0)

    def _split(self, readers, owner):
        if self.owners is None:  # most graphs read no weight twice in one scope: never needed
            self.owners = {}
            for c, n in self.compute:
                self.owners.setdefault(c, set()).add(self.weights[n].owner_scope)
        if self.succs is None:
            self.succs = [[] for _ in self.ops]
            for i, op in enumerate(self.ops):
                if op.role in (m.COMPUTE, m.PASS):
                    for p, _ in op.inputs:
                        self.succs[p].append(i)
        call, calls, current = 0, {readers[0]: 0}, [readers[0]]
        for b in readers[1:]:
            if self._through_other_layers(current, b, owner):
                call += 1
                current = []
            current.append(b)
            calls[b] = call
        return calls

    def _through_other_layers(self, starts, target, owner):
        """Whether `target` is downstream of `starts` past an op reading another owner's weights."""
        seen = {(s, False) for s in starts}
        stack = list(seen)
        while stack and len(seen) < self.BUDGET:
            i, crossed = stack.pop()
            for j in self.succs[i]:
                if j == target and crossed:
                    return True
                step = (j, crossed or bool(self.owners.get(j, set()) - {owner}))
                if step not in seen:
                    seen.add(step)
                    stack.append(step)
        return False


def _join_loop_reads(weights, keys, control_scopes):
    """A weight's reads in a loop or branch body join its read beside or around that body.

    One layer call can read its weights both outside and inside a loop it runs: tf_keras and
    Keras 3 step an RNN cell once before the loop to learn its output shapes (`output_time_zero`
    in tf_keras/src/backend.py `rnn` and keras/src/backend/tensorflow/rnn.py), so an LSTM called
    once reads its kernel in `lstm` (or `lstm/lstm_cell`) and in `lstm/while/body/.../lstm_cell`.
    Reads in scopes merely nested (a tied head at `model` and the lookup at `model/embedding`)
    stay apart: only a body boundary between the two scopes joins them.
    """
    moved = {}
    for n, report in weights.items():
        if len(report.uses) < 2:
            continue
        sites = {use.call_site for use in report.uses.values() if use.call == 0}
        # Deepest first: a read in a nested loop joins the outer loop's before that one moves on.
        for key, use in sorted(report.uses.items(), key=lambda item: -item[1].call_site.count("/")):
            outer = _read_outside_body(use.call_site, sites, control_scopes) if use.call == 0 else None
            if outer is None:
                continue
            target = report.uses[use_key(outer, 0)]
            target.ops += use.ops
            target.first = min(target.first, use.first)
            del report.uses[key]
            sites.discard(use.call_site)
            moved[(n, key)] = use_key(outer, 0)
    if moved:
        for (c, n), key in keys.items():
            while (n, key) in moved:  # a read joined a use that later joined another
                key = moved[(n, key)]
            keys[(c, n)] = key


def _read_outside_body(site, sites, control_scopes):
    """The read of `sites` that a read at `site`, inside a body, belongs with: the same scope name
    beside the loop (`lstm/lstm_cell` for `lstm/while/body/.../lstm_cell`), else the nearest scope
    that holds the body. None when `site` is in no body, or no such read exists."""
    holder, scope, around = None, site, []
    while scope:
        if holder is None and scope in control_scopes:
            holder = control_scopes[scope]
        scope = m.scope_of(scope)
        if holder is not None:
            around.append(scope)
    if holder is None:
        return None
    twin = m.join(holder, site.rpartition("/")[2])
    if twin != site and twin in sites:
        return twin
    return next((s for s in around if s in sites), None)


def use_key(site, call):
    """How a use is named: its call site, and which call when several calls share the site."""
    return site if call == 0 else f"{site} (call {call + 1})"


def _add(report, site, call, c, name):
    key = use_key(site, call)
    use = report.uses.get(key)
    if use is None:
        use = report.uses[key] = Use(site, call, first=c)
    use.ops.append(name)
    use.first = min(use.first, c)
    return key


def classify(reports):
    """One creating call per variable: the first call in its owner scope, else the first call."""
    for report in reports:
        uses = list(report.uses.values())
        for use in uses:
            use.ops = sorted(set(use.ops))
        if not uses:
            report.status = "unused"
            continue
        owner = report.owner_scope
        if owner is None:  # nothing names its scope: the first call stands for it
            owner = report.var.owner_scope = min(uses, key=lambda u: u.first).call_site
        exact = [u for u in uses if u.call_site == owner]
        inside = [u for u in uses if m.within(u.call_site, owner)]
        creator = min(exact or inside or uses, key=lambda u: (u.call, u.first))
        creator.status = "created"
        report.status = "shared" if len(uses) > 1 else "unshared"


def fold(model, resolver, var_of_op):
    """Ops not drawn: a variable's helpers, extra handles, and pure reads of variables."""
    folded = set()
    for var in model.variables:
        folded |= var.helpers
    for i, op in enumerate(model.ops):
        if op.role == m.PASS and op.port_rule != m.BODY and op.inputs and i not in var_of_op:
            # A pass op right behind a variable op reads it (no search needed): `dense/kernel/read`.
            if op.inputs[0][0] in var_of_op or resolver.sources(op.inputs[0]):
                folded.add(i)  # `dense_1/MatMul/ReadVariableOp`: drawn as a read of the variable
    return folded
