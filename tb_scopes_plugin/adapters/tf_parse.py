"""Serialized `GraphDef` or `RunMetadata` -> flat `model.Op`s with inputs resolved, function bodies inlined.

In: bytes. Out: a `Parsed` graph: ops in graph order with their data inputs as
(producer index, port) pairs and their raw NodeDef attributes; roles are assigned later
(`tf_roles`). Function bodies (`PartitionedCall`, `While`, `If`, `Case`, calls of library
functions by name) are inlined, and their input args become pass-through ops fed by the
call's inputs, so that reads can be followed across function boundaries without recursion.

Naming of inlined ops: a function call is transparent (its body's ops keep their own name
scopes under the caller's scope), while a control-flow op (`While`, `If`, `Case`) is a
scope of its own, as TF1 control flow named it (`rnn/while/...`).
"""

from dataclasses import dataclass, field
from itertools import repeat

from tensorboard.compat.proto import config_pb2, graph_pb2

from ..model import BODY, COMPUTE, FIRST, PASS, Op, Warning, join

# Function-valued attributes that name a body to inline (tensorflow/core/ops/functional_ops.cc,
# control_flow_ops.cc).
_BODY_ATTRS = ("f", "body", "cond", "then_branch", "else_branch", "branches")

# Op types that call functions named in their attributes; checking the type first keeps
# attribute lookups off the 99% of ops that call nothing.
_CALL_OPS = {
    "PartitionedCall", "StatefulPartitionedCall", "TPUPartitionedCall", "RemoteCall", "SymbolicGradient",
}  # fmt: skip
# Control flow: its body ops live under its own name (`rnn/while/body/...`).
_CONTROL_FLOW_OPS = {
    "While", "StatelessWhile", "_While", "If", "StatelessIf", "_If", "Case", "StatelessCase", "For",
}  # fmt: skip
_SELECTOR_FIRST = {"If", "StatelessIf", "_If", "Case", "StatelessCase"}  # first input picks the branch

# Inlining stops past this many ops, so that a hostile library cannot blow up memory.
MAX_OPS = 3_000_000

FN_ARG = "_FnArg"  # our op type for an inlined function's input arg

# A trace's step: the last function graph to run of at least this share of the largest one's size.
STEP_SHARE = 0.25


@dataclass
class Parsed:
    ops: list  # model.Op, `raw` holding the NodeDef
    index: dict  # op name -> index
    arg_types: dict  # FN_ARG op index -> DataType enum of the arg
    warnings: list = field(default_factory=list)  # model.Warning
    functions: int = 0  # function bodies inlined
    consumers: list = None  # model.consumers(ops), once tf_roles has made it
    # An inlined loop or branch body's scope -> the scope of its control-flow op.
    control_scopes: dict = field(default_factory=dict)


def parse_graph_def(data):
    graph = graph_pb2.GraphDef()
    graph.ParseFromString(data)
    return build_graph(graph)


def build_graph(graph):
    builder = _Builder({f.signature.name: f for f in graph.library.function})
    builder.add_graph(graph.node)
    return builder.finish()


def parse_run_metadata(data):
    """A trace: the function graph before optimisation that `trace_export` logged.

    A trace holds one graph per function run while tracing was on, in the order they ran.
    Besides the step the user traced, the first call of a training step runs one-off
    functions that create or fill the optimizer's slot variables (`_setup`), and a
    process that ran other functions before (a `fit` in the same notebook, its dataset's
    helpers) can leave their graphs in the trace too: keras_hub's DistilBERT step, traced
    after an ALBERT `fit` in one process, came with that fit's larger train function
    (2026-12-02). The step is the last graph to run, of those of a size with the largest
    (a traced `fit` ends with small iterator helpers); the others are named in a warning.
    """
    meta = config_pb2.RunMetadata()
    meta.ParseFromString(data)
    graphs = [fg.pre_optimization_graph for fg in meta.function_graphs] or list(meta.partition_graphs)
    steps = [g for g in graphs if not _eager_helper(g)]
    if not steps:
        # TensorFlow records a function's graph when it is traced, not each time it runs: a step
        # called before trace_on leaves a trace with nothing, or with only the helpers of eager
        # ops run since (`_EagerConst` for a `tf.ones`; TF 2.21, tests/test_trace_pick.py).
        held = (
            f"only {len(graphs)} single-op helper graph{'s' if len(graphs) > 1 else ''}"
            if graphs
            else "no graph"
        )
        raise ValueError(
            f"this trace holds {held}, no traced function: TensorFlow records a function's graph "
            "only when the function is traced, so call tf.summary.trace_on(graph=True) before the "
            "function's first call"
        )
    graphs = steps
    sizes = [len(g.node) + sum(len(f.node_def) for f in g.library.function) for g in graphs]
    large = [g for g, size in zip(graphs, sizes, strict=True) if size >= STEP_SHARE * max(sizes)]
    main = large[-1]
    builder = _Builder({f.signature.name: f for f in main.library.function})
    builder.add_graph(main.node)
    others = [g for g in graphs if g is not main and not _setup(g)]
    if others:
        builder.warnings.append(
            Warning(
                "other_functions",
                f"this trace holds {len(others) + 1} function graphs; the last large one to run "
                f"({len(main.node):,} ops) is shown, "
                + ("the other is not" if len(others) == 1 else f"the other {len(others)} are not"),
            )
        )
    return builder.finish()


# A function graph's inputs and outputs, as opposed to what it computes.
_ARGS_AND_RETURNS = {"_Arg", "_Retval", "_DeviceArg", "_DeviceRetval"}


# What a one-off function that creates or fills variables holds (Keras 3 builds an optimizer's
# slots with AssignVariableOp of constants on the first step): not another step, so not warned of.
_SETUP_OPS = _ARGS_AND_RETURNS | {"VarHandleOp", "AssignVariableOp", "Const", "Fill", "NoOp", "Identity"}


def _setup(graph):
    ops = {node.op for node in graph.node}
    return "VarHandleOp" in ops or ops <= _SETUP_OPS


def _eager_helper(graph):
    """TensorFlow's wrapper of one eager op (`_EagerConst`): one op between its args and returns."""
    if graph.library.function:
        return False
    return sum(node.op not in _ARGS_AND_RETURNS for node in graph.node) <= 1


class _Builder:
    """Collects ops, then resolves input names to indexes once every op is known."""

    def __init__(self, library):
        self.library = library
        self.callers = _CALL_OPS | _CONTROL_FLOW_OPS | set(library)  # op types that may call a function
        self.ops = []
        self.index = {}
        self.arg_types = {}
        # (op index, NodeDef inputs, local names, in a body); a function arg: (index, None, call, input)
        self.pending = []
        self.warnings = []
        self.functions = 0
        self.control_scopes = {}

    def add_op(self, name, op_type, scope, node):
        while name in self.index:  # duplicate names in a hostile graph: keep both
            name += "_dup"
        self.index[name] = len(self.ops)
        self.ops.append(Op(name=name, type=op_type, scope=scope, raw=node))
        return len(self.ops) - 1

    def add_graph(self, nodes):
        """The top-level NodeDefs, by columns: names, types, scopes and attributes one list each,
        and each op's inputs resolved at once when every name they give is known already.

        Reading the fields column by column, and building the ops in one `map`: build_graph
        0.83 s -> 0.61 s of CPU for the 150,047-op TF1 graph (2026-12-01, A/B runs). A
        graph with duplicate names, or too many ops, takes `add_nodes` (its rules are the same).
        """
        nodes = list(nodes)
        names = [node.name for node in nodes]
        index = dict(zip(names, range(len(names)), strict=True))
        if self.ops or len(index) != len(names) or len(names) > MAX_OPS:
            self.add_nodes(nodes, prefix="", scope_prefix="")
            return
        self.index = index
        # One string object per distinct type and scope, not one per op: a graph has few of each
        # (32 types and 65k scopes for 150k ops), and at 1M ops the copies were 140 MB of memory
        # touched for the first time, each page a fault (benchmarks/side_by_side.py's engine).
        distinct = {}
        types = [distinct.setdefault(t, t) for t in [node.op for node in nodes]]
        scopes = [distinct.setdefault(s, s) for s in [name.rpartition("/")[0] for name in names]]  # scope_of
        get, pend = index.get, self.pending.append
        inputs = []
        for i, node in enumerate(nodes):
            texts = node.input
            resolved = []
            for text in texts:  # control inputs (`^name`) dropped; most inputs are a bare name
                if ":" not in text:
                    if text.startswith("^"):
                        continue
                    j, port = get(text), 0
                elif text.startswith("^"):
                    continue
                else:
                    name, port = _parse_input(text, body=False)
                    j = get(name)
                if j is None:  # maybe an inlined op's name, known only once bodies are in: `finish`
                    pend((i, texts, {}, False))
                    resolved = []
                    break
                resolved.append((j, port))
            inputs.append(resolved)
        n = len(nodes)
        self.ops += map(
            Op, names, types, scopes, inputs, repeat(COMPUTE, n), repeat(FIRST, n), repeat(None, n),
            repeat(None, n), repeat(-1, n), repeat(None, n), repeat(False, n), repeat(0, n),
            nodes,
        )  # fmt: skip
        callers = self.callers
        for i, op_type in enumerate(types):
            if op_type in callers:
                self._inline_calls(i, nodes[i], ())

    def add_nodes(self, nodes, prefix, scope_prefix, arg_names=None, stack=()):
        """Add NodeDefs (a graph's, or a function body's when `arg_names` is given).

        Each NodeDef field is read once into locals: upb builds a new Python object on every
        attribute access, and this loop runs once per op. The input names are kept as the
        NodeDef's own list and parsed once, in `finish`, when every op is known (parsing them
        here into a list of pairs, then reading that list again, was a third of the loop).
        """
        body = arg_names is not None
        # Body-local name -> op index. The top-level graph's names are the index's own, but for
        # those a duplicate renamed (`x_dup`): no second dict of every name.
        top = not body and not prefix and not scope_prefix
        local = {} if top else dict(arg_names or {})
        ops, index, pending = self.ops, self.index, self.pending
        append, pend = ops.append, pending.append
        calls = []  # (op index, node) of ops that may call a function
        callers = self.callers
        joined = bool(prefix or scope_prefix)
        room = MAX_OPS - len(ops)  # the loop adds one op per node; bodies are inlined after it
        for n, node in enumerate(nodes):
            if n >= room:
                self.warnings.append(
                    Warning("truncated", f"the graph was cut at {MAX_OPS:,} ops: later ops are not analysed")
                )
                break
            name, op_type = node.name, node.op
            cut = name.rfind("/")
            scope = name[:cut] if cut >= 0 else ""  # model.scope_of, inlined
            if joined:
                full, scope = join(prefix, name), join(scope_prefix, scope)
            else:
                full = name
            while full in index:  # duplicate names in a hostile graph: keep both
                full += "_dup"
            i = index[full] = len(ops)
            # Positional: the dataclass's keyword and default-factory handling cost 0.07 s per 150k ops.
            append(Op(full, op_type, scope, [], COMPUTE, FIRST, None, None, -1, None, False, 0, node))
            if not top or full != name:
                local[name] = i
            inputs = node.input
            if inputs:
                pend((i, inputs, local, body))
            if op_type in callers:
                calls.append((i, node))
        for i, node in calls:
            self._inline_calls(i, node, stack)
        return local

    def _inline_calls(self, i, node, stack):
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
        call.role, call.port_rule = PASS, BODY
        control_flow = node.op in _CONTROL_FLOW_OPS
        offset = 1 if node.op in _SELECTOR_FIRST else 0
        for key, fname in bodies:
            fn = self.library[fname]
            self.functions += 1
            prefix = join(call.name, key if len(bodies) > 1 else "")
            scope_prefix = prefix if control_flow else call.scope
            if control_flow:
                self.control_scopes[prefix] = call.scope
            args = {}
            for n, arg in enumerate(fn.signature.input_arg):
                a = self.add_op(join(prefix, arg.name), FN_ARG, scope_prefix, None)
                self.ops[a].role = PASS
                self.arg_types[a] = arg.type
                args[arg.name] = a
                self.pending.append((a, None, i, n + offset))  # the call's input n + offset
            local = self.add_nodes(fn.node_def, prefix, scope_prefix, arg_names=args, stack=stack + (fname,))
            if key in ("body", "f", "", "then_branch") or key.startswith("branches_0"):
                outs = []
                for out in fn.signature.output_arg:
                    name, port = _parse_input(fn.ret.get(out.name, ""), body=True)
                    outs.append((local.get(name), port))
                call.body_outputs = outs

    def finish(self):
        missing = []
        ops, index = self.ops, self.index
        get = index.get
        for i, texts, local, body in self.pending:
            op = ops[i]
            inputs = op.inputs
            if texts is None:  # a function arg: `local` is the call's index, `body` the input it takes
                call_inputs = ops[local].inputs
                if body < len(call_inputs):
                    inputs.append(call_inputs[body])
                continue
            look = local.get if local else None  # the top-level graph: the index, unless renamed
            for text in texts:  # control inputs (`^name`) dropped; most inputs are a bare name
                if ":" not in text:
                    if text.startswith("^"):
                        continue
                    name, port = text, 0
                elif text.startswith("^"):
                    continue
                else:
                    name, port = _parse_input(text, body)
                j = look(name) if look is not None else None
                if j is None:
                    j = get(name)
                if j is None:
                    missing.append(f"{op.name} reads {name}")
                else:
                    inputs.append((j, port))
        if missing:
            shown = "; ".join(missing[:3]) + ("; …" if len(missing) > 3 else "")
            self.warnings.append(
                Warning(
                    "missing_input",
                    f"{len(missing)} input{'s name ops' if len(missing) > 1 else ' names an op'} "
                    f"that {'are' if len(missing) > 1 else 'is'} not in the graph ({shown})",
                )
            )
        return Parsed(
            self.ops,
            self.index,
            self.arg_types,
            self.warnings,
            self.functions,
            control_scopes=self.control_scopes,
        )


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
