"""One op's details on demand: a graph's raw bytes -> an index by op name -> what one op is.

In: the source kind and bytes of a graph, as the `graph` route reads them through the data
provider. Out: `OpDetails` of one op: its type, its attributes as short text, its data
inputs with the shape each carries, its control inputs, and the shapes of its outputs.

Why apart from the `graph` body: every op's attributes would make a 160k-op body many times
larger, while the tab shows one op at a time. Why not always the adapters' model: building
it takes seconds at 160k ops, while a GraphDef's protobuf parse and an index of its nodes
by name take a fraction of a second. An op the top-level GraphDef does not hold (inside an
inlined function body, a trace, a Keras layer call, a PyTorch parameter the adapter made)
is looked up in the adapter's model, built once per index.
"""

import threading
from dataclasses import dataclass

from tensorboard.compat.proto import graph_pb2

from . import adapters, metadata
from . import model as m
from .adapters import attr_text, tf_roles

HOPS = 8  # pass-through ops followed from an input back to its variable (`/read`, ReadVariableOp)


class UnknownOp(Exception):
    """The graph has no op of that name."""


@dataclass
class OpDetails:
    name: str
    type: str
    attrs: list  # (key, text), sorted by key; recorded output shapes are in `outputs`
    inputs: list  # data inputs: (producer name, port, shape text or "", variable op name or "")
    control_inputs: list  # names of the ops that must run first
    outputs: list  # shape text of each output; [] when the graph does not record them


class OpIndex:
    """The ops of one graph by name; built from the raw bytes, so it never needs the analysis."""

    def __init__(self, source, data):
        self._source, self._data = source, data
        self._nodes = None  # op name -> NodeDef of the top-level GraphDef (run graphs)
        self._model = None  # the adapter's model, built on the first op the GraphDef lacks
        self._lock = threading.Lock()
        if source == metadata.SOURCE_RUN_GRAPH:
            graph = graph_pb2.GraphDef()
            try:
                graph.ParseFromString(data)
            except Exception as err:  # protobuf's DecodeError
                raise adapters.Unreadable(f"the graph could not be parsed ({type(err).__name__})") from None
            self._nodes = {node.name: node for node in graph.node}

    def details(self, name):
        node = self._nodes.get(name) if self._nodes is not None else None
        if node is not None:
            return self._of_node(node)
        model = self._load_model()
        i = model.index.get(name)
        if i is None:
            raise UnknownOp(f"the graph has no op named {name!r}")
        return _of_op(model, i)

    def _load_model(self):
        with self._lock:
            if self._model is None:
                self._model = adapters.load(self._source, self._data)
            return self._model

    def _of_node(self, node):
        inputs, control = [], []
        for text in node.input:
            if text.startswith("^"):
                control.append(text[1:])
                continue
            name, port = _split_input(text)
            producer = self._nodes.get(name)
            shape = attr_text.output_shape(producer.attr, port) if producer else ""
            inputs.append((name, port, shape, self._variable_behind(producer)))
        return OpDetails(
            node.name,
            node.op,
            attr_text.attrs_text(node.attr),
            inputs,
            control,
            attr_text.output_shapes(node.attr),
        )

    def _variable_behind(self, node):
        """The variable a value comes from through ops that only forward it, or ""."""
        for _ in range(HOPS):
            if node is None:
                return ""
            if node.op in tf_roles.VARIABLE_OPS:
                return node.name
            if node.op not in tf_roles.PASS_FIRST or not node.input or node.input[0].startswith("^"):
                return ""
            node = self._nodes.get(_split_input(node.input[0])[0])
        return ""


def _split_input(text):
    """`dense/MatMul:1` -> (`dense/MatMul`, 1); a name without a port is output 0."""
    name, sep, port = text.rpartition(":")
    return (name, int(port)) if sep and port.isdigit() else (text, 0)


def _of_op(model, i):
    """An op of the adapter's model: inputs resolved; shapes from attributes, the adapter or the variables."""
    op = model.ops[i]
    known = model.shapes or {}
    var_shape = {var.node: var.shape for var in model.variables}
    inputs = []
    for p, port in op.inputs:
        shapes = attr_text.output_shapes(model.ops[p].attrs) or known.get(p, [])
        shape = shapes[port] if port < len(shapes) else ""
        if not shape and var_shape.get(p) is not None:
            shape = attr_text.dims_text(var_shape[p])
        inputs.append((model.ops[p].name, port, shape, _model_variable_behind(model, p)))
    outputs = attr_text.output_shapes(op.attrs) or known.get(i, [])
    return OpDetails(op.name, op.type, attr_text.attrs_text(op.attrs), inputs, [], outputs)


def _model_variable_behind(model, i):
    """The adapter's roles: follow pass-through ops (first input) back to a variable op."""
    for _ in range(HOPS):
        op = model.ops[i]
        if op.role == m.VARIABLE:
            return op.name
        if op.role != m.PASS or op.port_rule != m.FIRST or not op.inputs:
            return ""
        i = op.inputs[0][0]
    return ""
