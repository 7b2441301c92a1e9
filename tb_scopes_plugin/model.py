"""The format-neutral graph model that every adapter maps into.

In: nothing (adapters build it). Out: a `Model`: ops in graph order, each with a role
that the adapter has decided, and the variables with their name, owner scope, shape,
dtype and trainability. The stages after the adapters (analysis, findings, drawing)
read only this module's fields: they never test an op type name or a format.

Roles (what an op means for sharing):
- compute: model maths; a compute op that reads a variable is a use at its call site.
- pass: forwards a value or a handle unchanged (`Identity`, `ReadVariableOp`, a function
  argument, a PyTorch `prim::GetAttr`); `port_rule` says which input reaches which output.
- variable: holds a variable, or a handle to one.
- machinery: training and housekeeping (optimizer, regularizer, moving average,
  checkpoint, summary, initialisation, metric, RNG state); never a call site.
- gradient: the backward pass of a forward op; its reads join that op's use, never make one.
"""

from dataclasses import dataclass, field

COMPUTE = "compute"
PASS = "pass"
VARIABLE = "variable"
MACHINERY = "machinery"
GRADIENT = "gradient"
ROLES = (COMPUTE, PASS, VARIABLE, MACHINERY, GRADIENT)  # contract order: graph.roles indexes this

# Port rules of pass-through ops.
FIRST = "first"  # input 0 reaches every output
ALL = "all"  # any input may reach the output (a control-flow merge)
SAME_INDEX = "same_index"  # input i reaches output i
BODY = "body"  # an inlined call: output j is `body_outputs[j]`

# Kinds of machinery, for the user ("updated by the moving average").
OPTIMIZER = "optimizer"
REGULARIZER = "regularizer"
MOVING_AVERAGE = "moving_average"
CHECKPOINT = "checkpoint"
SUMMARY = "summary"
INIT = "init"
METRIC = "metric"
RNG = "rng"
COUNTER = "counter"  # an integer that counts steps or calls (an optimizer's iterations, global_step)
BUFFER = "buffer"  # PyTorch module state that is not a parameter (`register_buffer`: `position_ids`)
WRITE = "write"  # any other write to a variable (an assign of a target network, a counter)


@dataclass(slots=True)
class Op:
    # Field order matters: tf_parse builds ops positionally (the large graphs' hot loop).
    name: str  # unique, "/"-separated name scopes
    type: str  # the format's op type, shown to the user; never tested after the adapter
    scope: str  # the name scope it runs in: a compute op's call site
    inputs: list = field(default_factory=list)  # data inputs: (producer index, output port)
    role: str = COMPUTE
    port_rule: str = FIRST  # pass ops only
    body_outputs: list = None  # BODY pass ops: output j -> (op index, port) inside the inlined body
    machinery: str = None  # machinery ops: OPTIMIZER, REGULARIZER, ...
    forward: int = -1  # gradient ops: index of the forward op, or -1 when unknown
    grad_site: str = None  # gradient ops whose forward op is unknown: its call site
    backward: bool = (
        False  # a pass op of the backward pass (a gradient function's call, its args): drawn as gradient
    )
    call: int = 0  # tells apart calls that share one scope (PyTorch: which GetAttr read)
    # The adapter's own record of the op: a NodeDef (TensorFlow and PyTorch GraphDefs), a Keras
    # layer's config dict, or None for an op the adapter made. The NodeDef, not its attribute map:
    # upb makes a new object for every map it hands out, and keeping one per op cost 300 MB and
    # 0.7 s at 1M ops (benchmarks/side_by_side.py's engine, 2026-12-02), for the few ops whose
    # attributes are read.
    raw: object = None

    @property
    def attrs(self):
        """The op's attributes, read on demand: a NodeDef's attr map, a Keras config, or None."""
        raw = self.raw
        return raw if raw is None or isinstance(raw, dict) else raw.attr


@dataclass(slots=True)
class Variable:
    name: str  # the most readable name the graph allows (`dense/kernel`)
    node: int  # index of its variable op
    owner_scope: str  # the variable scope (module, layer) that holds it; None: decided by the first use
    shape: list = None  # ints, -1 unknown; None unknown rank
    dtype: str = None
    trainable: bool = None  # None: the graph does not say
    aliases: list = field(default_factory=list)  # other names it goes by (a placeholder's name)
    identity: str = (
        None  # tells apart two variables of one name (summary API); None: the name is the identity
    )
    machinery: str = None  # set for optimizer slots, metrics, RNG state...: not a model weight
    param_count: int = None  # set when known otherwise than from the shape
    helpers: set = field(default_factory=set)  # op indexes folded into it: initializer, assign, slots

    @property
    def params(self):
        if self.param_count is not None:
            return self.param_count
        shape = self.shape
        if shape is None:
            return None
        n = 1
        for d in shape:  # one loop, no generator: read three times per variable
            if d is None or d < 0:
                return None
            n *= d
        return n


@dataclass(slots=True)
class Warning:
    kind: str  # missing_input, truncated, unreadable, unnamed_variables, ...
    message: str  # one sentence for the user


@dataclass
class Model:
    kind: str  # op_graph / keras_model
    framework: str  # tensorflow / keras / pytorch
    ops: list  # Op, in graph order
    index: dict  # op name -> op index
    variables: list  # Variable
    warnings: list = field(default_factory=list)  # Warning
    calls_share_scopes: bool = False  # repeated calls of a layer can run in one name scope (TF2, tf_keras)
    names_derived: bool = False  # variable names were derived from their readers, not carried by the graph
    touches: list = None  # (op, input slot, variable) an adapter already resolved; None: the analysis does
    shapes: object = None  # op index -> its outputs' shape texts (`.get(i)`), as the adapter knows them
    consumers: list = None  # per op, the ops that take it in (see `consumers_of`); None until asked
    control_scopes: dict = field(default_factory=dict)  # loop or branch body's scope -> the scope of its op
    # Types of the ops that hold a value written into the graph, which a tracer hands to every
    # call that uses it (PyTorch's `prim::Constant`: one `eps` for all the LayerNorms of a model;
    # TensorFlow's `Const`: a transpose's permutation, a reshape's shape): never what a layer
    # takes in, so never what tells two layer calls' inputs apart, nor a second input of the op
    # that takes it. Types, not ops: only the findings' flow graph asks, and only sometimes.
    constant_types: frozenset = frozenset()

    def consumers_of(self):
        """Per op, the indexes of the ops whose inputs name it, in graph order, once per input:
        made once (or handed over by the adapter, which needed it first) for every pass that
        walks the graph forward."""
        if self.consumers is None:
            self.consumers = consumers(self.ops)
        return self.consumers

    def var_of_op(self):
        """Op index -> variable index, for every variable op and helper folded into a variable."""
        out = {}
        for n, var in enumerate(self.variables):
            out[var.node] = n
        return out


def consumers(ops):
    """Per op, the indexes of the ops whose inputs name it, in graph order, once per input."""
    out = [[] for _ in ops]
    for c, op in enumerate(ops):
        for p, _ in op.inputs:
            out[p].append(c)
    return out


def scope_of(name):
    """`a/b/MatMul` -> `a/b`; a root op's scope is ``""``."""
    cut = name.rfind("/")
    return name[:cut] if cut >= 0 else ""


def join(prefix, name):
    return f"{prefix}/{name}" if prefix and name else prefix or name


def within(site, scope):
    """Whether the scope path `site` is `scope` or inside it (the root "" holds everything)."""
    return scope == "" or site == scope or site.startswith(scope + "/")
