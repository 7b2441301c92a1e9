"""Op model -> variables with their owner scope, uses by call site, statuses; then findings.

    analyse(model)
        variables = find_variables(model)        # ref, resource and captured variables; slots folded
        reads = resolve_reads(model, variables)  # consumer op -> variables, through pass-through ops
        uses = group_by_call_site(model, reads)  # call sites; gradients join their forward op
        classify(variables, uses)                # created / reused; shared / unshared / unused
        find_missed_sharing(...)                 # copies that look like they were meant to be one

Everything is iterative (no recursion limit on deep graphs) and cycle-safe (while loops).
"""

import re
from dataclasses import dataclass, field

from . import findings as findings_mod
from .graph_model import FN_ARG, dtype_name, is_resource, shape_of

# Ops that only forward a variable's value or handle: reads are followed through them
# (tensorflow/core/ops/array_ops.cc, control_flow_ops.cc, resource_variable_ops.cc).
PASS_FIRST = {
    "Identity", "RefIdentity", "ReadVariableOp", "Enter", "RefEnter", "Exit", "RefExit", "Switch",
    "RefSwitch", "NextIteration", "RefNextIteration", "Cast", "Snapshot", "StopGradient",
    "PlaceholderWithDefault", "_Retval", FN_ARG,
}  # fmt: skip
PASS_ALL = {"Merge", "RefMerge"}  # any input may flow through
PASS_SAME_INDEX = {"IdentityN"}  # input i -> output i

VARIABLE_OPS = {"VariableV2", "Variable", "VarHandleOp"}
PLACEHOLDER_OPS = {"Placeholder", "_Arg"}

# Ops that write a variable (their first input is the variable): never a call site.
WRITE_OPS = re.compile(
    r"^(Resource)?(Sparse)?(Apply|Scatter|Assign).*|.*Assign.*VariableOp$|^AssignVariableOp$"
)
# Checkpointing and summaries read every variable; they are machinery, not call sites.
MACHINERY_OPS = re.compile(
    r"^(SaveV2|Save|SaveSlices|RestoreV2|Restore|RestoreSlice|MergeV2Checkpoints)$|Summary"
)
INIT_CHECK_OPS = {"IsVariableInitialized", "VarIsInitializedOp"}
CHECKPOINT_SCOPE = re.compile(r"^save(_\d+)?$")
# The root of a backward pass: tf.gradients' `gradients`, `gradients_1`; GradientTape's `gradient_tape`.
GRADIENT_ROOT = re.compile(r"^(gradients(_\d+)?|gradient_tape)$")


@dataclass
class Use:
    call_site: str  # name scope of the reading ops
    ops: list = field(default_factory=list)  # op names, sorted at the end
    first: int = 0  # index of the first reading op, for "which call came first"
    status: str = "reused"  # created / reused


@dataclass
class Variable:
    name: str  # variable name (`dense/weights`)
    node: int  # op index of the variable (or captured placeholder)
    owner_scope: str  # the variable scope that created it
    shape: list = None  # ints, -1 unknown; None unknown rank
    dtype: str = None
    helpers: set = field(default_factory=set)  # op indexes folded into this variable
    uses: dict = field(default_factory=dict)  # call site -> Use
    status: str = "unused"
    findings: list = field(default_factory=list)  # indexes into Analysis.findings
    captured: bool = False  # a resource placeholder of a traced function, not a variable op
    param_count: int = None  # set when known otherwise than from the shape (a Keras layer's weights)

    @property
    def params(self):
        if self.param_count is not None:
            return self.param_count
        if self.shape is None or any(d < 0 for d in self.shape):
            return None
        n = 1
        for d in self.shape:
            n *= d
        return n


@dataclass
class Analysis:
    variables: list  # Variable, sorted by name
    findings: list  # findings.Finding
    reads: list  # (consumer op index, variable index, reused)
    folded: set  # op indexes not drawn: variable helpers and pure variable reads
    training: set  # op indexes of the backward pass, optimizer updates and other machinery


def analyse(model):
    variables, var_of_op = find_variables(model)
    resolver = ReadResolver(model, var_of_op)
    reads, training = resolve_reads(model, variables, resolver)
    group_by_call_site(model, variables, reads)
    classify(variables)
    folded = fold_helpers(model, variables, resolver)
    order = sorted(range(len(variables)), key=lambda i: variables[i].name)
    remap = {old: new for new, old in enumerate(order)}
    variables = [variables[i] for i in order]
    reads = [(c, remap[v], _is_reuse(model, variables[remap[v]], c, training)) for c, v in reads]
    found = findings_mod.find_missed_sharing_ops(model, variables, training)
    return Analysis(variables, found, reads, folded, training)


def find_variables(model):
    """Variable ops and captured resource placeholders; optimizer slots become helpers of their variable."""
    variables, var_of_op, by_key = [], {}, {}
    candidates = []
    for i, op in enumerate(model.ops):
        if op.type in VARIABLE_OPS:
            candidates.append((i, _variable_name(op)))
        elif op.type in PLACEHOLDER_OPS and is_resource(op):
            candidates.append((i, op.name))  # a captured variable of a traced function
    names = {name for _, name in candidates}
    for i, name in candidates:
        op = model.ops[i]
        owner = _slot_owner(op, name, names)
        if owner is not None and owner in by_key:
            variables[by_key[owner]].helpers.add(i)
            var_of_op[i] = None  # reads of a slot (Adam's m, v, beta1_power) are optimizer work, not uses
            continue
        if name in by_key:  # a second handle to the same shared_name is the same variable
            var_of_op[i] = by_key[name]
            variables[by_key[name]].helpers.add(i)
            continue
        attr = op.attr or {}
        shape = shape_of(attr["shape"]) if "shape" in attr and op.type in VARIABLE_OPS else None
        dtype = dtype_name(attr["dtype"].type) if "dtype" in attr and op.type in VARIABLE_OPS else None
        if op.type in PLACEHOLDER_OPS and "_handle_shapes" in attr and attr["_handle_shapes"].list.shape:
            shape = [d.size for d in attr["_handle_shapes"].list.shape[0].dim]
        if op.type in PLACEHOLDER_OPS and "_handle_dtypes" in attr and attr["_handle_dtypes"].list.type:
            dtype = dtype_name(attr["_handle_dtypes"].list.type[0])
        by_key[name] = len(variables)
        var_of_op[i] = len(variables)
        owner_scope = "/".join(name.split("/")[:-1])
        variables.append(Variable(name, i, owner_scope, shape, dtype, captured=op.type in PLACEHOLDER_OPS))
    return variables, var_of_op


def _variable_name(op):
    attr = op.attr
    if op.type == "VarHandleOp" and "shared_name" in attr and attr["shared_name"].s:
        return attr["shared_name"].s.decode("utf-8", "replace")
    return op.name


def _slot_owner(op, name, names):
    """`dense/weights/Adam` or an op colocated with `loc:@dense/weights` is that variable's slot."""
    if op.attr is not None and "_class" in op.attr:
        for loc in op.attr["_class"].list.s:
            target = loc.decode("utf-8", "replace").removeprefix("loc:@")
            if target != name and target in names:
                return target
    parts = name.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        prefix = "/".join(parts[:cut])
        if prefix in names:
            return prefix
    return None


class ReadResolver:
    """Follows a tensor back through pass-through ops and function boundaries to its variables.

    An iterative post-order search that memoises every tensor it settles, so a chain of
    20k reads costs 20k steps once. A result that hit a cycle (a ref while loop) still on
    the search path is returned but not memoised, since it may be partial.
    """

    def __init__(self, model, var_of_op):
        self.ops = model.ops
        self.var_of_op = var_of_op
        self.memo = {}

    def _key(self, ref):
        node, port = ref
        op = self.ops[node]
        keeps_port = op.inlined or op.type in PASS_SAME_INDEX
        return (node, port if keeps_port else 0)

    def _preds(self, key):
        node, port = key
        if node in self.var_of_op:
            return ()
        op = self.ops[node]
        if op.inlined and op.body_outputs is not None:
            refs = [op.body_outputs[port]] if port < len(op.body_outputs) else []
        elif op.type in PASS_FIRST:
            refs = op.inputs[:1]
        elif op.type in PASS_ALL:
            refs = op.inputs
        elif op.type in PASS_SAME_INDEX:
            refs = op.inputs[port : port + 1]
        else:
            refs = []
        return [self._key(r) for r in refs if r[0] is not None]

    def sources(self, ref):
        if ref[0] is None:
            return frozenset()
        root = self._key(ref)
        if root in self.memo:
            return self.memo[root]
        partial, on_path, stack = {}, set(), [(root, False)]
        while stack:
            key, expanded = stack.pop()
            if not expanded:
                if key in self.memo or key in partial or key in on_path:
                    continue
                on_path.add(key)
                stack.append((key, True))
                stack.extend((p, False) for p in self._preds(key) if p not in self.memo and p not in on_path)
                continue
            on_path.discard(key)
            found, complete = set(), True
            var = self.var_of_op.get(key[0])
            if var is not None:
                found.add(var)
            for p in self._preds(key):
                if p in self.memo:
                    found |= self.memo[p]
                elif p in partial:
                    found |= partial[p]
                    complete = False
                else:
                    complete = False  # a cycle back to a tensor still being resolved
            (self.memo if complete else partial)[key] = frozenset(found)
        return self.memo.get(root, partial.get(root, frozenset()))

    def is_pass_through(self, op):
        return op.type in PASS_FIRST or op.type in PASS_ALL or op.type in PASS_SAME_INDEX or op.inlined


def resolve_reads(model, variables, resolver):
    """Every (consumer, variable) pair, and the set of training / machinery ops."""
    reads, training = [], set()
    for c, op in enumerate(model.ops):
        if c in resolver.var_of_op or resolver.is_pass_through(op):
            continue
        role = _role(op)
        if role != "compute":
            training.add(c)
        for n, ref in enumerate(op.inputs):
            producer = model.ops[ref[0]]
            if ref[0] not in resolver.var_of_op and not resolver.is_pass_through(producer):
                continue  # fast path: a computed value, not a variable
            for v in resolver.sources(ref):
                var = variables[v]
                if c in var.helpers or op.name.startswith(model.ops[var.node].name + "/"):
                    var.helpers.add(c)  # initializer, Assign, IsInitialized of its own
                elif op.type in INIT_CHECK_OPS or (n == 0 and WRITE_OPS.match(op.type)):
                    training.add(c)
                    reads.append((c, v))
                else:
                    reads.append((c, v))
    return reads, training


_MACHINERY_TYPE = {}  # op type -> whether it is machinery, memoised (a graph has few distinct types)


def _role(op):
    name = op.name
    if "gradient" in name and any(GRADIENT_ROOT.match(p) for p in name.split("/")):
        return "gradient"
    machinery = _MACHINERY_TYPE.get(op.type)
    if machinery is None:
        machinery = _MACHINERY_TYPE[op.type] = bool(MACHINERY_OPS.search(op.type) or WRITE_OPS.match(op.type))
    if machinery or (name.startswith("save") and CHECKPOINT_SCOPE.match(name.split("/")[0])):
        return "machinery"
    if "update_" in name and any(p.startswith("update_") for p in name.split("/")[:-1]):
        return "machinery"  # optimizer update scopes: `Adam/update_dense/weights/...`
    return "compute"


def forward_call_site(op):
    """The call site an op reads for: its scope, or for a backward op, its forward op's scope."""
    if "gradient" not in op.name:
        return op.scope  # the common case, without splitting the name
    parts = op.name.split("/")
    root = next((i for i, p in enumerate(parts) if GRADIENT_ROOT.match(p)), None)
    if root is None:
        return op.scope
    rest = parts[root + 1 :]
    for i, p in enumerate(rest):
        if p.endswith("_grad"):  # tf.gradients: gradients/<forward op>_grad/...
            return "/".join(rest[:i])
    return "/".join(rest[:-2])  # GradientTape: gradient_tape/<forward op>/<grad op>


def group_by_call_site(model, variables, reads):
    for c, v in reads:
        op = model.ops[c]
        if _role(op) == "machinery":
            continue
        site = forward_call_site(op)
        use = variables[v].uses.get(site)
        if use is None:
            use = variables[v].uses[site] = Use(site, first=c)
        use.ops.append(op.name)
        use.first = min(use.first, c)


def classify(variables):
    """One creating call per variable: the call site in its owner scope, else the first call."""
    for var in variables:
        for use in var.uses.values():
            use.ops = sorted(set(use.ops))
        if not var.uses:
            var.status = "unused"
            continue
        inside = [u for u in var.uses.values() if _within(u.call_site, var.owner_scope)]
        exact = [u for u in inside if u.call_site == var.owner_scope]
        creator = min(exact or inside or var.uses.values(), key=lambda u: u.first)
        creator.status = "created"
        if var.captured:  # a traced graph names no variable scope: the first call site stands for it
            var.owner_scope = creator.call_site
        var.status = "shared" if len(var.uses) > 1 else "unshared"


def _within(site, owner):
    return site == owner or (owner != "" and site.startswith(owner + "/"))


def _is_reuse(model, var, c, training):
    if c in training:
        return 0
    use = var.uses.get(forward_call_site(model.ops[c]))
    return int(use is not None and use.status == "reused")


def _under_any(name, prefixes):
    """Whether some proper `/`-prefix of `name` is in `prefixes`."""
    cut = name.find("/")
    while cut >= 0:
        if name[:cut] in prefixes:
            return True
        cut = name.find("/", cut + 1)
    return False


def fold_helpers(model, variables, resolver):
    """Ops not drawn: everything under a variable's name and pure reads of variables."""
    folded = set()
    # Variables and their slots (`beta1_power` has its own Assign, read, initial_value).
    var_names = {model.ops[i].name for i in resolver.var_of_op}
    for i, op in enumerate(model.ops):
        if _under_any(op.name, var_names):
            folded.add(i)  # initializer, Assign, /read, slots: under the variable's own name
        elif op.type in PASS_FIRST and op.type != FN_ARG and op.inputs and resolver.sources(op.inputs[0]):
            folded.add(i)  # `dense_1/MatMul/ReadVariableOp`: drawn as a read of the variable
    for var in variables:
        folded |= var.helpers - {var.node}
    return folded
