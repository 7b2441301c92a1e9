"""Raw graph bytes -> one format-neutral op model.

In: a serialized `GraphDef` (run graphs) or `RunMetadata` (traces).
Out: an `OpModel`: a flat list of ops in graph order, each with its data inputs as
(producer index, output index) pairs, its name scope, and the few attributes the
analysis needs. Function bodies (`PartitionedCall`, `While`, `If`, calls of library
functions by name) are inlined under the calling node's name, and their input args
become pass-through `_FnArg` ops fed by the call's inputs, so that reads can be
followed across function boundaries without recursion.
"""

from dataclasses import dataclass, field

from tensorboard.compat.proto import config_pb2, graph_pb2, types_pb2

# Function-valued attributes that name a body to inline, per calling op type
# (tensorflow/core/ops/functional_ops.cc, control_flow_ops.cc).
_BODY_ATTRS = ("f", "body", "cond", "then_branch", "else_branch", "branches")

# Op types that call functions named in their attributes (tensorflow/core/ops/functional_ops.cc);
# checking the type first keeps attribute lookups off the 99% of ops that call nothing.
_CALL_OPS = {
    "PartitionedCall", "StatefulPartitionedCall", "TPUPartitionedCall", "While", "StatelessWhile", "_While",
    "If", "StatelessIf", "_If", "Case", "StatelessCase", "For", "RemoteCall", "SymbolicGradient",
}  # fmt: skip

# Inlining stops past this many ops, so that a hostile library cannot blow up memory.
MAX_OPS = 3_000_000

FN_ARG = "_FnArg"  # our op type for an inlined function's input arg


@dataclass
class Op:
    name: str  # unique, "/"-separated; body ops are prefixed by their calling node's name
    type: str  # op type (`MatMul`, `VariableV2`, ...)
    scope: str  # name scope for call sites: the calling node's scope + the op's own scope
    inputs: list = field(default_factory=list)  # data inputs: (producer index, output index)
    attr: object = None  # the NodeDef's attr map (protobuf), read lazily
    body_outputs: list = None  # for an inlined call: output j -> (op index, output index) in the body
    inlined: bool = False  # a call whose body is inlined: its inputs flow into the body, it reads nothing


@dataclass
class OpModel:
    ops: list  # Op, in graph order
    index: dict  # op name -> index
    warnings: list = field(default_factory=list)  # what could not be read, for the user


def scope_of(name):
    """`a/b/MatMul` -> `a/b`; a root op's scope is ``""``."""
    cut = name.rfind("/")
    return name[:cut] if cut >= 0 else ""


def join(prefix, name):
    return f"{prefix}/{name}" if prefix and name else prefix or name


def from_graph_def_bytes(data):
    graph = graph_pb2.GraphDef()
    graph.ParseFromString(data)
    return from_graph_def(graph)


def from_run_metadata_bytes(data):
    """A trace: the function graphs before optimisation, as `trace_export` logs them."""
    meta = config_pb2.RunMetadata()
    meta.ParseFromString(data)
    graphs = [fg.pre_optimization_graph for fg in meta.function_graphs]
    if not graphs:
        graphs = list(meta.partition_graphs)
    if not graphs:
        raise ValueError("this trace holds no graph (was trace_on called with graph=True?)")
    if len(graphs) == 1:
        return from_graph_def(graphs[0])
    builder = _Builder({f.signature.name: f for g in graphs for f in g.library.function})
    for i, g in enumerate(graphs):
        builder.add_nodes(g.node, prefix=f"function_graph_{i}", scope_prefix="")
    return builder.finish()


def from_graph_def(graph):
    builder = _Builder({f.signature.name: f for f in graph.library.function})
    builder.add_nodes(graph.node, prefix="", scope_prefix="")
    return builder.finish()


class _Builder:
    """Collects ops, then resolves input names to indexes once every op is known."""

    def __init__(self, library):
        self.library = library
        self.ops = []
        self.index = {}
        self.pending = []  # (op index, [(input name, output index)], local names)
        self.warnings = []

    def add_op(self, name, op_type, scope, attr):
        while name in self.index:  # duplicate names in a hostile graph: keep both
            name += "_dup"
        op = Op(name=name, type=op_type, scope=scope, attr=attr)
        self.index[name] = len(self.ops)
        self.ops.append(op)
        return len(self.ops) - 1

    def add_nodes(self, nodes, prefix, scope_prefix, arg_names=None, stack=()):
        """Add NodeDefs (a graph's, or a function body's when `arg_names` is given)."""
        local = dict(arg_names or {})  # body-local name -> op index
        added = []
        for node in nodes:
            if len(self.ops) >= MAX_OPS:
                self.warnings.append(f"graph truncated at {MAX_OPS} ops")
                break
            i = self.add_op(
                join(prefix, node.name), node.op, join(scope_prefix, scope_of(node.name)), node.attr
            )
            local[node.name] = i
            added.append((i, node))
        for i, node in added:
            refs = [_parse_input(s, body=arg_names is not None) for s in node.input if not s.startswith("^")]
            self.pending.append((i, refs, local))
        for i, node in added:
            self._inline_calls(i, node, stack)
        return local

    def _inline_calls(self, i, node, stack):
        if node.op not in _CALL_OPS and node.op not in self.library:
            return
        bodies = []
        for key in _BODY_ATTRS:
            if key in node.attr:
                value = node.attr[key]
                names = [f.name for f in value.list.func] if key == "branches" else [value.func.name]
                bodies += [(key if len(names) == 1 else f"{key}_{n}", name) for n, name in enumerate(names)]
        if node.op in self.library:  # a library function called by name
            bodies.append(("", node.op))
        bodies = [(key, name) for key, name in bodies if name in self.library and name not in stack]
        if not bodies:
            return
        call = self.ops[i]
        call.inlined = True
        # If and Case take the branch selector first; the branch args map to the inputs after it.
        offset = 1 if node.op in ("If", "StatelessIf", "Case", "StatelessCase") else 0
        several = len(bodies) > 1
        for key, fname in bodies:
            fn = self.library[fname]
            prefix = join(call.name, key if several else "")
            args = {}
            for n, arg in enumerate(fn.signature.input_arg):
                a = self.add_op(join(prefix, arg.name), FN_ARG, call.scope, None)
                self.ops[a].arg_type = arg.type
                args[arg.name] = a
                self.pending.append((a, [("__call_input__", n + offset)], {"__call__": i}))
            local = self.add_nodes(fn.node_def, prefix, call.scope, arg_names=args, stack=stack + (fname,))
            if key in ("body", "f", "", "then_branch") or key.startswith("branches_0"):
                outs = []
                for out in fn.signature.output_arg:
                    name, port = _parse_input(fn.ret.get(out.name, ""), body=True)
                    outs.append((local.get(name), port))
                call.body_outputs = outs

    def finish(self):
        for i, refs, local in self.pending:
            op = self.ops[i]
            for name, port in refs:
                if name == "__call_input__":
                    call = self.ops[local["__call__"]]
                    src = call.inputs[port] if port < len(call.inputs) else None
                    if src is not None:
                        op.inputs.append(src)
                    continue
                j = local.get(name, self.index.get(name))
                if j is None:
                    self.warnings.append(f"{op.name} reads {name}, which is not in the graph")
                else:
                    op.inputs.append((j, port))
        return OpModel(self.ops, self.index, self.warnings)


def _parse_input(text, body):
    """`name:1` -> (name, 1); in a function body `node:out_name:2` -> (node, 2)."""
    parts = text.split(":")
    if len(parts) == 1:
        return text, 0
    if body:
        return parts[0], _int(parts[-1])
    return ":".join(parts[:-1]), _int(parts[-1])


def _int(text):
    return int(text) if text.isdigit() else 0


# --- attribute readers used by the analysis ---------------------------------------


def dtype_name(enum_value):
    """`DT_FLOAT` -> `float32` (names as numpy and TensorFlow print them)."""
    name = types_pb2.DataType.Name(enum_value) if enum_value in types_pb2.DataType.values() else ""
    name = name.replace("DT_", "").replace("_REF", "").lower()
    return {"float": "float32", "double": "float64", "half": "float16", "": None}.get(name, name)


def shape_of(attr_value):
    """TensorShapeProto -> list of ints (-1 unknown), or None for an unknown rank."""
    shape = attr_value.shape
    if shape.unknown_rank:
        return None
    return [d.size for d in shape.dim]


def is_resource(op):
    """A placeholder-like op (`Placeholder`, `_Arg`, body arg) that carries a resource handle."""
    if op.type == FN_ARG:
        return getattr(op, "arg_type", 0) == types_pb2.DT_RESOURCE
    if op.attr is None:
        return False
    for key in ("dtype", "T"):
        if key in op.attr and op.attr[key].type == types_pb2.DT_RESOURCE:
            return True
    return False
